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
import org.bmsmqtt.bms.storage.DataFolder;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttConnectionFactory;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.api.TlsSpec;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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

    private record Live(String name, BrokerSpec spec, MqttConnection connection, Set<String> subscribed,
                        String sharePrefix) {

        /** The filter a command topic is subscribed with: {@code $share/<group>/<topic>} on a shared broker. */
        String filter(String topic) {
            return sharePrefix + topic;
        }
    }

    private final Map<Long, Live> live = new ConcurrentHashMap<>();
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
        engine.attachReports(this::publishReport); // this instance, not the EJB proxy: no container call per report
        bootstrapDefaultBroker();
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
        return Optional.ofNullable(live.get(brokerId)).map(l -> l.connection().status());
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
        SortedMap<Long, String> open = new TreeMap<>();
        live.forEach((id, l) -> open.put(id, l.name()));
        return open;
    }

    /**
     * The engine's {@link org.bmsmqtt.bms.shared.ReportPort}. A refusal is returned to the engine (counted on the
     * datapoint); the resource adapter logs its refusals once per cause and minute, this side logs a report to a
     * broker that is not open once per broker and minute, never once per message.
     */
    Optional<String> publishReport(long brokerId, Publication publication) {
        Live l = live.get(brokerId);
        if (l == null) {
            String why = "broker " + brokerId + " is not open (stopped, deleted or failed to open)";
            if (notOpenLogDue(brokerId)) {
                LOG.warning("BMS0201 reports to " + why + " are not published; counted on their datapoints "
                        + "(logged at most once a minute)");
            }
            return Optional.of(why);
        }
        try {
            l.connection().publish(publication);
            return Optional.empty();
        } catch (ResourceException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Publishes through the broker's session (sent now or queued in order); for the features beside the engine, e.g.
     * Home Assistant discovery. Empty when taken, otherwise why not.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<String> publish(long brokerId, Publication publication) {
        return publishReport(brokerId, publication);
    }

    /** When a report to a broker that is not open was last logged, per broker. */
    private final Map<Long, Long> notOpenLogged = new ConcurrentHashMap<>();

    private boolean notOpenLogDue(long brokerId) {
        long now = System.nanoTime();
        Long last = notOpenLogged.get(brokerId);
        if (last != null && now - last < java.util.concurrent.TimeUnit.MINUTES.toNanos(1)) {
            return false;
        }
        return last == null ? notOpenLogged.putIfAbsent(brokerId, now) == null
                : notOpenLogged.replace(brokerId, last, now);
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
        Live l = live.get(brokerId);
        if (l == null) {
            return; // not open: it subscribes everything when it opens
        }
        try {
            for (String t : topics) {
                if (add && l.subscribed().add(t)) {
                    l.connection().subscribe(l.filter(t), 1);
                } else if (!add && l.subscribed().remove(t)) {
                    l.connection().unsubscribe(l.filter(t));
                }
            }
        } catch (ResourceException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
        }
    }

    /**
     * A subscription of a feature beside the engine (discovery reads back its retained configs), not kept across a
     * session's re-open; its messages reach {@code DatapointEngine.attachUnmatched}. False when the broker is not open.
     */
    public boolean subscribeOnce(long brokerId, String filter, boolean add) {
        Live l = live.get(brokerId);
        if (l == null || l.subscribed().contains(filter)) {
            return false;
        }
        try {
            if (add) {
                l.connection().subscribe(filter, 1);
            } else {
                l.connection().unsubscribe(filter);
            }
            return true;
        } catch (ResourceException | RuntimeException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
            return false;
        }
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
                live.entrySet().stream().filter(e -> e.getValue().sharePrefix().isEmpty()).map(Map.Entry::getKey)
                        .toList().forEach(this::close);
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
            BrokerSpec spec = spec(b);
            MqttConnection c = connectionFactory.getConnection(spec);
            live.put(b.getId(), new Live(b.getName(), spec, c, ConcurrentHashMap.newKeySet(),
                    shared ? "$share/" + role.shareGroup() + "/" : ""));
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
        Live l = live.get(brokerId);
        if (l == null) {
            return;
        }
        Set<String> wanted = engine.commandTopics(brokerId);
        try {
            for (String t : wanted) {
                if (l.subscribed().add(t)) {
                    l.connection().subscribe(l.filter(t), 1);
                }
            }
            for (String t : new HashSet<>(l.subscribed())) {
                if (!wanted.contains(t)) {
                    l.connection().unsubscribe(l.filter(t));
                    l.subscribed().remove(t);
                }
            }
        } catch (ResourceException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
        }
    }

    private void close(long brokerId) {
        Live l = live.remove(brokerId);
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

    /**
     * A shared broker (active-active) is held by every member at once: each with a client id of its own (the broker's
     * plus the member's name), and without availability, since no single session stands for the server.
     */
    private BrokerSpec spec(Broker b) {
        BrokerSpec spec = baseSpec(b);
        if (!role.shares(b.getName())) {
            return spec;
        }
        return new BrokerSpec(spec.name(), spec.serverUris(), spec.clientId() + "-" + role.member(), spec.username(),
                spec.password(), spec.keepAliveSeconds(), spec.connectTimeoutSeconds(), spec.reconnectIntervalSeconds(),
                spec.sessionExpirySeconds(), spec.receiveMaximum(), spec.tls(), org.bmsmqtt.ra.api.Availability.OFF);
    }

    private BrokerSpec baseSpec(Broker b) {
        if (!b.getInternalUser().isEmpty()) {
            var internal = integratedBroker.internalConnection(b.getInternalUser());
            return BrokerSpec.of(String.valueOf(b.getId()), "tcp://" + internal.host() + ":" + internal.port(),
                            b.getClientId())
                    .withCredentials(internal.username(), internal.password())
                    .withReconnectInterval(b.getReconnectInterval())
                    .withTimings(b.getKeepAlive(), BrokerSpec.DEFAULT_CONNECT_TIMEOUT, BrokerSpec.DEFAULT_SESSION_EXPIRY)
                    .withAvailability(b.ecosystem().sessionAvailability(b.getPath(), b.getName()));
        }
        String scheme = b.isTlsEnabled() ? "ssl" : "tcp";
        Path certs = DataFolder.path(ConfigProvider.getConfig(BrokerRegistry.class.getClassLoader())).resolve("certs");
        TlsSpec tls = new TlsSpec(b.tlsVersionList(), file(certs, b.getTlsCaFile()), "",
                file(certs, b.getTlsClientCertFile()), file(certs, b.getTlsClientKeyFile()),
                cipher.decrypt(b.getTlsKeyPasswordEnc()), b.isTlsHostnameVerification());
        return BrokerSpec.of(String.valueOf(b.getId()), scheme + "://" + b.getHost() + ":" + b.getPort(), b.getClientId())
                .withCredentials(b.getUsername(), cipher.decrypt(b.getPasswordEnc()))
                .withReconnectInterval(b.getReconnectInterval())
                .withTimings(b.getKeepAlive(), BrokerSpec.DEFAULT_CONNECT_TIMEOUT, BrokerSpec.DEFAULT_SESSION_EXPIRY)
                .withTls(tls)
                .withAvailability(b.ecosystem().sessionAvailability(b.getPath(), b.getName()));
    }

    private static String file(Path dir, String name) {
        return name == null || name.isEmpty() ? "" : dir.resolve(name).toString();
    }

    /**
     * First start with an empty broker table: the broker of {@code bms.mqtt.*} becomes the broker "default". The value
     * {@code integrated} makes it the internal connection to this server's integrated broker, as the broker user
     * {@code bms.integrated-broker.internal-user} (default {@code bms}, created with every permission).
     */
    private void bootstrapDefaultBroker() {
        var config = ConfigProvider.getConfig(BrokerRegistry.class.getClassLoader());
        Optional<String> uri = config.getOptionalValue("bms.mqtt.server-uri", String.class);
        if (uri.isEmpty() || !role.isMain() || !brokers.list().isEmpty()) {
            return; // a backup leaves it to the main (two first starts at once would both store it)
        }
        String clientId = config.getOptionalValue("bms.mqtt.client-id", String.class)
                .orElseGet(() -> "bms-" + org.bmsmqtt.bms.datapoint.Origin.hostName());
        int reconnect = config.getOptionalValue("bms.mqtt.reconnect-interval", Integer.class).orElse(5);
        if (INTEGRATED.equals(uri.get())) {
            String user = config.getOptionalValue("bms.integrated-broker.internal-user", String.class).orElse("bms");
            integratedUsers.ensureInternalUser(user);
            brokers.bootstrap(new BrokerSettings("default", "brokers/default", "", 0, clientId, "", "", reconnect, 30,
                    false, List.of(), "", "", "", "", true, BrokerSettings.DEFAULT_ANTI_ECHO_MILLIS, true, user));
            LOG.info("BMS0206 created broker 'default' (the internal connection to the integrated broker as '" + user
                    + "') at first start");
            return;
        }
        try {
            brokers.bootstrap(BrokerSettings.fromServerUri(uri.get(), clientId,
                    config.getOptionalValue("bms.mqtt.username", String.class).orElse(""),
                    config.getOptionalValue("bms.mqtt.password", String.class).orElse(""), reconnect));
            LOG.info("BMS0206 created broker 'default' (" + uri.get() + ") from bms.mqtt.* at first start");
        } catch (org.bmsmqtt.bms.shared.InvalidValueException e) { // a typo in the configuration must not stop the server
            LOG.severe("BMS0212 no broker 'default' created: bms.mqtt.server-uri " + e.getMessage()
                    + "; the admin API is up: add brokers through /brokers, or fix the key and restart");
        }
    }

    @PreDestroy
    void stop() {
        synchronized (reopening) { // after the start-up task's openings, and none after this
            stopped = true;
            for (Long id : Set.copyOf(live.keySet())) {
                close(id);
            }
        }
    }

    /** For status views: whether a broker is connected right now. */
    public boolean connected(long brokerId) {
        return status(brokerId).map(s -> s.state() == SessionState.CONNECTED).orElse(false);
    }
}
