package org.bmsmqtt.bms.knx;

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
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.datapoint.FieldInput;
import org.bmsmqtt.bms.shared.InvalidValueException;
import tuwien.auto.calimero.GroupAddress;
import tuwien.auto.calimero.dptxlator.DPTXlator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The live side of the stored KNX configuration, like the broker registry for MQTT: one {@link KnxLink} per enabled
 * connection, opened at start-up without waiting for any interface and re-opened after a committed change; the KNX
 * bindings in memory ({@link KnxRoutes}). Telegrams update datapoints through the engine (source
 * {@code knx:<connection>:<group address>}); the engine hands every command to {@link #command}, which turns it into
 * group writes on the link's own thread. Values that came from KNX are never written back to KNX.
 */
@Singleton
@Startup
@DependsOn({"DatapointEngine", "ClusterRole"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class KnxGateway {

    /** Between two read requests at start-up: 20 reads/s leave most of a TP1 line's ~50 telegrams/s to the devices. */
    static final long READ_PACE_MILLIS = 50;
    private static final String SOURCE_PREFIX = "knx:";
    private static final Logger LOG = Logger.getLogger(KnxGateway.class.getName());

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private DatapointEngine engine;
    @Resource
    private ManagedThreadFactory threads;
    @Inject
    private org.bmsmqtt.bms.cluster.ClusterRole role;

    private final Map<Long, KnxLink> links = new ConcurrentHashMap<>();
    private final KnxRoutes routes = new KnxRoutes();
    private final Object reachabilityLock = new Object();
    private FieldInput input;
    /**
     * The links' callbacks, not implemented by the bean class itself: an EJB implementing an interface would have that
     * interface as its only business view, and could no longer be injected as {@code KnxGateway}.
     */
    private final KnxLink.Handler handler = new KnxLink.Handler() {
        @Override
        public void telegram(KnxLink link, int groupAddress, byte[] asdu) {
            onTelegram(link, groupAddress, asdu);
        }

        @Override
        public void connected(KnxLink link) {
            onConnected(link);
        }

        @Override
        public void readRequest(KnxLink link, int groupAddress) {
            onReadRequest(link, groupAddress);
        }

        @Override
        public void stateChanged(KnxLink link) {
            if (links.get(link.id()) == link) { // a replaced link's last words do not count
                routes.ofConnection(link.id()).forEach(r -> reachability(r.datapointId(), r.connectionId()));
            }
        }
    };

    @PostConstruct
    void start() {
        input = engine.fieldInput();
        engine.attachFieldSink(this::command); // this instance, not the proxy: no container call per command
        load();
    }

    /** A backup holds no KNX connection; one that takes over reads the bindings as they are now and opens them. */
    public void onRoleChanged(@Observes @jakarta.annotation.Priority(200) org.bmsmqtt.bms.cluster.RoleChanged change) {
        closeAll();
        if (change.main()) {
            load();
        }
    }

    private void load() {
        routes.clear();
        if (!role.isMain()) {
            return;
        }
        List<Object[]> rows = em.createQuery(BINDING_COLUMNS, Object[].class).getResultList();
        Map<Long, List<KnxRoutes.Route>> byDatapoint = new java.util.HashMap<>();
        for (Object[] r : rows) {
            route(r).ifPresent(route -> byDatapoint.computeIfAbsent(route.datapointId(), k -> new ArrayList<>()).add(route));
        }
        byDatapoint.forEach(routes::put);
        for (KnxConnection c : em.createQuery("select c from KnxConnection c", KnxConnection.class).getResultList()) {
            open(c.getId(), c.settings());
        }
        byDatapoint.values().forEach(rs -> rs.forEach(r -> reachability(r.datapointId(), r.connectionId())));
        LOG.info("BMS0900 KNX gateway ready: " + links.size() + " connections opening, " + rows.size() + " bindings");
    }

    /**
     * Tells the engine whether the datapoint's KNX connection can be reached now: CONNECTED, or why not (a stopped
     * connection has no link). The engine's quality and availability topics follow. One at a time: a link's thread
     * and a configuration change may tell about the same datapoint at once, and the later must read the later state.
     */
    private void reachability(long datapointId, long connectionId) {
        synchronized (reachabilityLock) {
            tellReachability(datapointId, connectionId);
        }
    }

    private void tellReachability(long datapointId, long connectionId) {
        KnxLink l = links.get(connectionId);
        String down;
        if (l == null) {
            down = "KNX connection " + connectionId + " is stopped";
        } else {
            KnxStatus s = l.status();
            down = s.state() == KnxState.CONNECTED ? "" : "KNX connection " + l.name() + " is " + s.state()
                    + (s.reason().isEmpty() ? "" : ": " + s.reason());
        }
        input.reachable(datapointId, source(connectionId), down);
    }

    private static String source(long connectionId) {
        return SOURCE_PREFIX + connectionId;
    }

    @PreDestroy
    void stop() {
        engine.attachFieldSink(null);
        closeAll();
    }

    private void closeAll() {
        links.values().forEach(KnxLink::close);
        for (KnxLink l : links.values()) {
            try {
                l.awaitClosed(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        links.clear();
    }

    /** The connection's status; empty when it is disabled or unknown. */
    public Optional<KnxStatus> status(long connectionId) {
        return Optional.ofNullable(links.get(connectionId)).map(KnxLink::status);
    }

    /** Every open (enabled) connection's status by id: from memory, also while the database is away. */
    public SortedMap<Long, KnxStatus> statuses() {
        SortedMap<Long, KnxStatus> all = new TreeMap<>();
        links.forEach((id, l) -> all.put(id, l.status()));
        return all;
    }

    public void onConnectionChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KnxConnectionChanged change) {
        KnxLink old = links.remove(change.connectionId());
        if (old != null) {
            old.close();
        }
        List<KnxRoutes.Route> bound = routes.ofConnection(change.connectionId());
        if (change.deleted()) {
            routes.removeConnection(change.connectionId());
            bound.forEach(r -> input.sourceGone(r.datapointId(), source(r.connectionId())));
            return;
        }
        KnxConnection c = em.find(KnxConnection.class, change.connectionId());
        if (c != null) {
            open(c.getId(), c.settings());
        }
        bound.forEach(r -> reachability(r.datapointId(), r.connectionId())); // stopped, or the new link's state
    }

    public void onBindingsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KnxBindingsChanged change) {
        refresh(change.datapointId(), true);
    }

    /** A datapoint's type may have changed, or it is gone (its bindings went with it). */
    public void onDatapointsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatapointsChanged change) {
        refresh(change.datapointId(), false);
    }

    /** From the engine, before it accepts a value: the group writes of the datapoint's KNX bindings. */
    void command(long datapointId, DataType type, String value, String source) {
        List<KnxRoutes.Route> out = routes.outbound(datapointId);
        if (out.isEmpty() || source.startsWith(SOURCE_PREFIX)) {
            return;
        }
        for (KnxRoutes.Route r : out) {
            if (r.writeAddress() == 0) {
                continue;
            }
            DPTXlator x = r.dpt().translator(type, value); // refuses a value the DPT cannot carry: nothing sent
            KnxLink l = links.get(r.connectionId());
            if (l != null && !l.write(new GroupAddress(r.writeAddress()), x)) {
                throw new InvalidValueException("value", "KNX connection " + l.name() + " has "
                        + KnxLink.MAX_PENDING_WRITES + " writes waiting: command refused");
            }
        }
    }

    private void onTelegram(KnxLink link, int groupAddress, byte[] asdu) {
        List<KnxRoutes.Route> to = routes.inbound(link.id(), groupAddress);
        if (to.isEmpty()) {
            return;
        }
        String source = SOURCE_PREFIX + link.name() + ":" + GroupAddresses.threeLevel(groupAddress);
        for (KnxRoutes.Route r : to) {
            try {
                input.value(r.datapointId(), r.dpt().decode(r.type(), asdu), source);
            } catch (InvalidValueException e) {
                input.invalid(r.datapointId(), e.getMessage() + " (from " + source + ")");
            }
        }
    }

    /**
     * A group read request from the bus: answered with the value of the first binding on that address that answers
     * reads and whose datapoint has a value. Nothing is sent when none has one (a real device may answer).
     */
    private void onReadRequest(KnxLink link, int groupAddress) {
        for (KnxRoutes.Route r : routes.answering(link.id(), groupAddress)) {
            Optional<String> value = input.current(r.datapointId());
            if (value.isPresent()) {
                try {
                    link.respond(new GroupAddress(groupAddress), r.dpt().translator(r.type(), value.get()));
                    return;
                } catch (InvalidValueException e) {
                    LOG.fine(() -> "no answer to a read of " + GroupAddresses.threeLevel(groupAddress) + ": " + e);
                }
            }
        }
    }

    /** Reads the status of every binding that asks for it, paced. */
    private void onConnected(KnxLink link) {
        long delay = 0;
        for (KnxRoutes.Route r : routes.ofConnection(link.id())) {
            if (r.readAtStart() && !r.inbound().isEmpty()) {
                link.read(new GroupAddress(readAddress(r)), delay);
                delay += READ_PACE_MILLIS;
            }
        }
    }

    private void open(long id, KnxConnectionSettings s) {
        if (!s.enabled() || !role.isMain()) {
            return;
        }
        try {
            KnxLink l = new KnxLink(id, s, threads, handler);
            links.put(id, l);
            l.start();
        } catch (RuntimeException e) {
            LOG.severe("BMS0903 KNX connection " + s.name() + " cannot be opened: " + e); // never blocks start-up
        }
    }

    private void refresh(long datapointId, boolean readNew) {
        List<KnxRoutes.Route> now = new ArrayList<>();
        for (Object[] r : em.createQuery(BINDING_COLUMNS + " where b.datapoint.id = :id", Object[].class)
                .setParameter("id", datapointId).getResultList()) {
            route(r).ifPresent(now::add);
        }
        List<KnxRoutes.Route> before = routes.outbound(datapointId);
        routes.put(datapointId, now);
        for (KnxRoutes.Route b : before) {
            if (now.stream().noneMatch(r -> r.connectionId() == b.connectionId())) {
                input.sourceGone(datapointId, source(b.connectionId()));
            }
        }
        now.forEach(r -> reachability(datapointId, r.connectionId()));
        if (readNew) {
            for (KnxRoutes.Route r : now) {
                KnxLink l = links.get(r.connectionId());
                boolean isNew = before.stream().noneMatch(b -> b.bindingId() == r.bindingId());
                if (r.readAtStart() && isNew && l != null && l.status().state() == KnxState.CONNECTED) {
                    l.read(new GroupAddress(readAddress(r)), 0);
                }
            }
        }
    }

    /** Status feedback first: the listen addresses say what the device did, the write address what it was told. */
    private static int readAddress(KnxRoutes.Route r) {
        return r.inbound().get(r.writeAddress() != 0 && r.inbound().size() > 1 ? 1 : 0);
    }

    private static final String BINDING_COLUMNS = "select b.id, b.datapoint.id, b.connection.id, b.writeAddress, "
            + "b.listenAddresses, b.dpt, b.readAtStart, b.datapoint.dataType, b.datapoint.name, b.answerReads from KnxBinding b";

    private static Optional<KnxRoutes.Route> route(Object[] r) {
        try {
            String write = (String) r[3];
            int writeGa = write.isEmpty() ? 0 : GroupAddresses.parse(write, "writeAddress");
            List<Integer> inbound = new ArrayList<>();
            if (writeGa != 0) {
                inbound.add(writeGa);
            }
            for (String a : KnxBindingSettings.fromColumn((String) r[4])) {
                inbound.add(GroupAddresses.parse(a, "listenAddresses"));
            }
            KnxDpt dpt = KnxDpt.of((String) r[5], "dpt");
            DataType type = (DataType) r[7];
            dpt.requireCompatible(type, "dpt");
            return Optional.of(new KnxRoutes.Route((Long) r[0], (Long) r[1], (Long) r[2], writeGa, List.copyOf(inbound),
                    dpt, type, (Boolean) r[6], (Boolean) r[9]));
        } catch (InvalidValueException e) {
            // Stored before a check existed, or edited in the database: skipped, and said so.
            LOG.warning("BMS0904 KNX binding " + r[0] + " of datapoint " + r[8] + " is not used: " + e.getMessage());
            return Optional.empty();
        }
    }
}
