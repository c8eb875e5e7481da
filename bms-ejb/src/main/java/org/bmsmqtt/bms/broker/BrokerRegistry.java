package org.bmsmqtt.bms.broker;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.TransactionSupport;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.datapoint.TopicDelta;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttConnectionFactory;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;

import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.logging.Logger;

/**
 * The live side of the stored brokers: one session per enabled broker, opened at start-up without waiting for any
 * broker, and re-opened, closed or re-subscribed when a broker or binding changes (only the changed broker
 * reconnects). Sessions are named by the broker's id, which comes back on every message.
 * <p>
 * The connection factory names the resource adapter: {@code mqtt-ra} for the standalone RAR (Payara Micro),
 * {@code #mqtt-ra} inside the EAR, set with server-level configuration (see the README).
 */
@ConnectionFactoryDefinition(
        name = BrokerRegistry.CONNECTION_FACTORY,
        interfaceName = "org.bmsmqtt.ra.api.MqttConnectionFactory",
        resourceAdapter = "${MPCONFIG=bms.mqtt.outbound-resource-adapter:mqtt-ra}",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction,
        // One connection per open broker, held while it is open: the pool's default of 32 would make broker 33 wait
        // for a free connection (60 s, at start-up) and then fail. The pool is not a limit here; brokers are.
        minPoolSize = 0,
        maxPoolSize = BrokerRegistry.MAX_BROKERS)
@Singleton
@Startup
@DependsOn({"DatapointEngine", "IntegratedBroker", "ClusterRole"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BrokerRegistry {

    public static final String CONNECTION_FACTORY = "java:app/bms/mqtt";
    /** Open brokers at once (the connection pool's size). */
    public static final int MAX_BROKERS = 10_000;
    /** {@code bms.mqtt.server-uri=integrated}: the default broker is the internal connection. */
    public static final String INTEGRATED = "integrated";
    private static final Logger LOG = Logger.getLogger(BrokerRegistry.class.getName());

    @Resource(lookup = CONNECTION_FACTORY)
    private MqttConnectionFactory connectionFactory;
    @Resource
    private ManagedExecutorService executor;
    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private SecretCipher cipher;
    @Inject
    private DatapointEngine engine;
    @Inject
    private BrokerService brokers;
    @Inject
    private org.bmsmqtt.bms.integrated.IntegratedBroker integratedBroker;
    @Inject
    private org.bmsmqtt.bms.integrated.IntegratedBrokerService integratedUsers;
    @Inject
    private org.bmsmqtt.bms.cluster.ClusterRole role;
    @Inject
    private Event<BrokerSessionOpened> sessionOpened;
    @Inject
    private Event<BrokerSessionClosed> sessionClosed;

    private final OpenSessions live = new OpenSessions();
    private SessionSpecs specs;
    /** Closing and re-opening one broker's session is one step: a change and a reconnect request never interleave. */
    private final Object reopening = new Object();

    /** Until the start-up task has loaded the engine and opened the stored brokers: why not yet (empty after). */
    private volatile String starting = "waiting to load the datapoint engine";
    /** Set at undeployment: the start-up task opens nothing after it. */
    private volatile boolean stopped;

    /**
     * Deployment does not wait for the datapoints: loading 100,000 of them and opening 100 sessions took seconds before
     * the server said it was ready. A task on the server's executor loads the engine (persistent values restored),
     * THEN opens the sessions, so no subscription exists before the engine can take what it brings. Meanwhile
     * readiness ({@code brokers}) is DOWN with the reason, and API calls that need the engine wait for it.
     */
    @PostConstruct
    void start() {
        specs = new SessionSpecs(role, integratedBroker, cipher);
        engine.attachReports(this::publishReport); // this instance, not the EJB proxy: no container call per report
        DefaultBroker.bootstrap(role, brokers, integratedUsers);
        executor.execute(this::loadAndOpen);
    }

    private void loadAndOpen() {
        long t0 = System.nanoTime();
        for (int attempt = 1; !engine.loaded() && !stopped; attempt++) {
            try {
                starting = "loading the datapoint engine";
                engine.load();
            } catch (RuntimeException e) {
                starting = "loading the datapoint engine failed (attempt " + attempt + ", retried in 10 s): " + e;
                LOG.severe("BMS0209 " + starting);
                if (!pause(10_000)) {
                    return;
                }
            }
        }
        try {
            starting = "waiting for the integrated broker to start";
            if (!integratedBroker.awaitBoot(java.time.Duration.ofSeconds(120))) {
                LOG.warning("BMS0213 the integrated broker is still starting after 120 s: the broker sessions open now,"
                        + " internal connections retry at their reconnect interval");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        starting = "opening the broker sessions";
        int opened = 0;
        synchronized (reopening) { // a broker changed meanwhile is re-opened after this, from what is stored then
            if (stopped) {
                return;
            }
            for (Broker b : brokers.list()) {
                opened += open(b) ? 1 : 0;
            }
        }
        starting = "";
        LOG.info("BMS0210 " + opened + " broker sessions opened, "
                + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                + " ms after deployment (engine load included)");
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Empty once the stored brokers are open (start-up done); otherwise what start-up is doing (loading the engine,
     * opening sessions). Readiness is DOWN meanwhile.
     */
    public String starting() {
        return starting;
    }

    /** The broker's session status; empty when it is disabled or unknown. */
    public Optional<SessionStatus> status(long brokerId) {
        return live.status(brokerId);
    }

    /**
     * Waits (at most {@code millis}) until the broker's session is connected, so that what a feature publishes for a
     * new session goes out rather than fills the queue it has while connecting; returns at once for no session.
     */
    public void awaitConnected(long brokerId, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Optional<SessionState> state = status(brokerId).map(SessionStatus::state);
            if (state.isEmpty() || state.get() == SessionState.CONNECTED) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The open sessions (enabled brokers) by id, with the broker's name: from memory, so also while the database is away. */
    public SortedMap<Long, String> openBrokers() {
        return live.names();
    }

    /**
     * The engine's {@link org.bmsmqtt.bms.shared.ReportPort}. A refusal is returned to the engine (counted on the
     * datapoint); the resource adapter logs its refusals once per cause and minute, this side logs a report to a
     * broker that is not open once per broker and minute, never once per message.
     */
    Optional<String> publishReport(long brokerId, Publication publication) {
        return live.publish(brokerId, publication);
    }

    /**
     * Publishes through the broker's session (sent now or queued in order); for the features beside the engine, e.g.
     * Home Assistant discovery. Empty when taken, otherwise why not.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<String> publish(long brokerId, Publication publication) {
        return publishReport(brokerId, publication);
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void onBrokerChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) BrokerChanged change) {
        engine.brokerChanged(change.brokerId());
        synchronized (reopening) {
            close(change.brokerId());
            if (!change.deleted()) {
                Broker b = em.find(Broker.class, change.brokerId());
                if (b != null) {
                    open(b);
                }
            }
        }
    }

    /**
     * Drops this broker's session and opens a new one from the stored configuration; no other broker is touched.
     * @return false when the broker is stopped (disabled): there is nothing to reconnect
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean reconnect(long brokerId) {
        Broker b = em.find(Broker.class, brokerId);
        if (b == null || !b.isEnabled()) {
            return false;
        }
        synchronized (reopening) {
            close(brokerId);
            open(b);
        }
        LOG.info("BMS0208 broker " + b.getName() + " reconnected on request");
        return true;
    }

    public void onDatapointsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatapointsChanged change) {
        TopicDelta delta = engine.refresh(change.datapointId());
        delta.added().forEach((brokerId, topics) -> subscribe(brokerId, topics, true));
        delta.removed().forEach((brokerId, topics) -> subscribe(brokerId, topics, false));
    }

    /** Many datapoints changed in one transaction (a configuration import): one engine refresh for all of them. */
    public void onConfigurationImported(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConfigurationImported change) {
        TopicDelta delta = engine.refresh(change.datapointIds());
        delta.added().forEach((brokerId, topics) -> subscribe(brokerId, topics, true));
        delta.removed().forEach((brokerId, topics) -> subscribe(brokerId, topics, false));
    }

    /** Subscribes (or unsubscribes) just these command topics of one broker. */
    private void subscribe(long brokerId, Set<String> topics, boolean add) {
        live.subscribe(brokerId, topics, add);
    }

    /**
     * A subscription of a feature beside the engine (discovery reads back its retained configs), not kept across a
     * session's re-open; its messages reach {@code DatapointEngine.attachUnmatched}. False when the broker is not open.
     */
    public boolean subscribeOnce(long brokerId, String filter, boolean add) {
        return live.subscribeOnce(brokerId, filter, add);
    }

    /**
     * Only the main member of a cluster holds sessions: a backup opens them when it takes over. Shared brokers
     * (active-active) are held by every member whatever its role.
     */
    public void onRoleChanged(@Observes @jakarta.annotation.Priority(200) org.bmsmqtt.bms.cluster.RoleChanged change) {
        synchronized (reopening) {
            if (change.main()) {
                brokers.list().stream().filter(b -> !live.containsKey(b.getId())).forEach(this::open);
            } else {
                live.notShared().forEach(this::close);
            }
        }
    }

    /**
     * Opens the broker's session when it is enabled and this member is main, or the broker is shared; true when a
     * session was opened.
     */
    private boolean open(Broker b) {
        boolean shared = role.shares(b.getName());
        if (!b.isEnabled() || !role.isMain() && !shared) {
            return false;
        }
        try {
            BrokerSpec spec = specs.of(b);
            MqttConnection c = connectionFactory.getConnection(spec);
            live.put(b.getId(), b.getName(), spec, c, shared ? "$share/" + role.shareGroup() + "/" : "");
            engine.sharedBroker(b.getId(), shared);
            resubscribe(b.getId());
            tell(sessionOpened, new BrokerSessionOpened(b.getId(), b.getName(), statusOf(b.getName(), c)));
            LOG.info("BMS0202 broker " + b.getName() + " (" + spec.serverUri() + ") opened; state " + c.status().state());
            return true;
        } catch (ResourceException | RuntimeException e) {
            // Never block start-up or a configuration change: the broker's status says why.
            LOG.severe("BMS0203 broker " + b.getName() + " cannot be opened: " + e.getMessage());
            return false;
        }
    }

    private void resubscribe(long brokerId) {
        live.resubscribe(brokerId, engine.commandTopics(brokerId));
    }

    private void close(long brokerId) {
        OpenSessions.Live l = live.remove(brokerId);
        if (l != null) {
            tell(sessionClosed, new BrokerSessionClosed(brokerId, l.name()));
            try {
                l.connection().closeSession(); // not just the handle: the pool would keep the session connected
                l.connection().close();
            } catch (ResourceException e) {
                LOG.fine("closing broker " + brokerId + ": " + e.getMessage());
            }
            LOG.info("BMS0205 broker " + l.spec().serverUri() + " closed");
        }
    }

    /** Monitoring (MBeans, metrics, health) follows the sessions through these events; it never stops a session. */
    private static <T> void tell(Event<T> event, T payload) {
        try {
            event.fire(payload);
        } catch (RuntimeException e) {
            LOG.warning("BMS0207 monitoring not told about " + payload + ": " + e);
        }
    }

    /** The status as monitoring reads it, at any time: a handle already closed reads as DISCONNECTED. */
    private static java.util.function.Supplier<SessionStatus> statusOf(String name, MqttConnection c) {
        return () -> {
            try {
                return c.status();
            } catch (RuntimeException e) {
                return new SessionStatus(name, SessionState.DISCONNECTED, "session closed", java.time.Instant.now(), "",
                        null, 0, 0, 0, 0, 0, 0, 0, 0);
            }
        };
    }

    /** The integrated broker started, stopped or moved: its internal connections follow (no other broker is touched). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void onIntegratedBrokerRestarted(@Observes org.bmsmqtt.bms.integrated.IntegratedBrokerRestarted change) {
        for (Broker b : brokers.list()) {
            if (!b.getInternalUser().isEmpty() && b.isEnabled()) {
                synchronized (reopening) {
                    close(b.getId());
                    open(b);
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        synchronized (reopening) { // after the start-up task's openings, and none after this
            stopped = true;
            for (Long id : live.ids()) {
                close(id);
            }
        }
    }

    /** For status views: whether a broker is connected right now. */
    public boolean connected(long brokerId) {
        return status(brokerId).map(s -> s.state() == SessionState.CONNECTED).orElse(false);
    }
}
