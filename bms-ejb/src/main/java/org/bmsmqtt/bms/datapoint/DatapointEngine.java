package org.bmsmqtt.bms.datapoint;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.history.HistoryWriter;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.bms.shared.ReportPort;
import org.bmsmqtt.bms.shared.UnavailableException;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The hot path: command topic message -> decode -> access check -> state in memory -> write-behind -> report topics.
 * No database transaction per message: configuration lives in {@link EngineConfig}, changed one datapoint at a time, values
 * live in {@link ValueState}s, persistence goes through the {@link HistoryWriter}.
 */
@Singleton
@Startup
@DependsOn({"SchemaMigration", "HistoryWriter"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatapointEngine {

    private static final Logger LOG = Logger.getLogger(DatapointEngine.class.getName());

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private HistoryWriter writer;
    @Inject
    private Origin origin;

    private final EngineConfig config = new EngineConfig();
    private final java.util.concurrent.locks.ReentrantLock changes = new java.util.concurrent.locks.ReentrantLock();
    private final Map<Long, ValueState> states = new ConcurrentHashMap<>();
    private ReportFanOut reports;
    private ValueIntake intake; // the way values come in: decode, check, accept or reject
    /**
     * Open once {@link #load()} has read the configuration and restored the persistent values. Until then every entry
     * that needs them waits (at most {@link #LOAD_WAIT_SECONDS}): nothing is taken, reported or answered from an
     * engine that does not know its datapoints yet.
     */
    private final java.util.concurrent.CountDownLatch loadedLatch = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean loaded;
    static final long LOAD_WAIT_SECONDS = 120;
    private final FieldPath fieldPath = new FieldPath(this);
    private final MemberSync members = new MemberSync(this);

    /**
     * Where values go as they are accepted (must not block): those of backupSync datapoints, and every value taken
     * from a shared broker (active-active: the other members must know it); null: nowhere.
     */
    public interface BackupSync {
        void accepted(long datapointId, String value, Instant at, String source, boolean backupSync, boolean shared);

        /** An input of a backupSync datapoint was rejected: the count since start and the reason. */
        void rejected(long datapointId, long count, String reason, Instant at);
    }

    /** On a backup: the main's rejected-input count and last reason of a backupSync datapoint (memory only). */
    public void applySyncedRejections(long datapointId, long count, String reason, Instant at) {
        members.applySyncedRejections(datapointId, count, reason, at);
    }

    /** Brokers this member holds as one of several (active-active): told by the broker registry as it opens them. */
    public void sharedBroker(long brokerId, boolean shared) {
        members.sharedBroker(brokerId, shared);
    }

    /**
     * On the main, a value another member took from a shared broker (active-active): that member decided it, confirmed
     * it on the shared brokers and stored it; the main, which alone holds the field buses and the other brokers, writes
     * it to the buses and reports it on the brokers that are not shared. An older value than the one held is ignored.
     */
    public void takeFromMember(long datapointId, String value, Instant at, String source) {
        members.takeFromMember(datapointId, value, at, source);
    }

    public void attachBackupSync(BackupSync sync) {
        members.attach(sync);
    }

    /**
     * A value the main accepted, on a backup: the state in memory only (the main reports and stores it), so that a
     * takeover starts from it rather than from the database's last write.
     */
    public void applySynced(long datapointId, String value, Instant at, String source) {
        members.applySynced(datapointId, value, at, source);
    }

    /**
     * Messages seen, values accepted and rejected, reports published since start, echoes of our own reports dropped,
     * reports refused on the way out.
     */
    public record Counters(long messages, long accepted, long rejected, long reports, long echoes, long reportsRefused) {
    }

    public Counters counters() {
        return new Counters(intake.messages.sum(), intake.accepted.sum(), intake.rejected.sum(), reports.reports(),
                reports.echoes(),
                reports.refused());
    }

    /** Messages on no command topic go here (must be quick: the delivery thread's); null: dropped, as before. */
    public void attachUnmatched(java.util.function.Consumer<MqttMessage> listener) {
        intake.unmatched = listener == null ? m -> { } : listener;
    }

    /** Where reports go: the broker registry hands itself over at its start (it depends on the engine, not back). */
    public void attachReports(ReportPort port) {
        reports.attach(port);
    }

    @PostConstruct
    void start() {
        reports = new ReportFanOut(config, origin);
        intake = new ValueIntake(this, config, reports, members, writer, origin);
    }

    /**
     * Reads the whole configuration and restores the persistent values: once, at start-up, off the deployment thread
     * (the broker registry's start-up task, which opens the broker sessions only after this returned). Configuration
     * changes committed meanwhile wait on the same lock and are applied after it, on what is committed then.
     */
    public void load() {
        if (loaded) {
            return;
        }
        long t0 = System.nanoTime();
        int restored;
        changes.lock();
        try {
            EngineLoader.brokers(em, config);
            restored = EngineLoader.loadAll(em, config, this::state);
            fieldPath.loaded();
            members.applyEarly(() -> loaded = true); // last: a later synced value applies on these, never under them
        } finally {
            changes.unlock();
        }
        loadedLatch.countDown();
        LOG.info("BMS0600 datapoint engine ready: " + config.size() + " datapoints, " + restored
                + " persistent values restored, in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    /** Whether {@link #load()} is done: the engine knows every datapoint and its restored value. */
    public boolean loaded() {
        return loaded;
    }

    /** Waits until the configuration is loaded; a caller still waiting after LOAD_WAIT_SECONDS gets a 503. */
    void awaitLoaded() {
        if (loaded) {
            return;
        }
        try {
            if (loadedLatch.await(LOAD_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new UnavailableException("the datapoint engine is still loading its configuration (server starting): "
                + "try again shortly");
    }

    /**
     * A backup that takes over starts from what is stored now (the main kept changing it): brokers, datapoints,
     * bindings and the persistent values. Before the broker sessions open (observer priorities).
     */
    public void onRoleChanged(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(100)
                              org.bmsmqtt.bms.cluster.RoleChanged change) {
        if (!change.main()) {
            return;
        }
        awaitLoaded();
        changes.lock();
        try {
            EngineLoader.reloadAll(em, config, this::state, states::remove);
            LOG.info("BMS0601 datapoint engine reloaded on takeover: " + config.size() + " datapoints");
        } finally {
            changes.unlock();
        }
    }

    /**
     * Re-reads one datapoint and its bindings after a committed change (or forgets it when it is gone). Work in
     * proportion to that datapoint, not to the installation. Changes are applied one at a time, each reading what is
     * committed now, so a slow earlier change cannot overwrite a later one.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public TopicDelta refresh(long datapointId) {
        return refresh(List.of(datapointId));
    }

    /**
     * {@link #refresh(long)} for many datapoints at once (a configuration import): the committed rows are read in
     * chunks, columns only, and the topic changes come back as one delta.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public TopicDelta refresh(java.util.Collection<Long> datapointIds) {
        List<Long> ids = List.copyOf(new java.util.LinkedHashSet<>(datapointIds));
        awaitLoaded();
        changes.lock();
        try {
            return EngineLoader.refresh(em, config, ids, states::remove);
        } finally {
            changes.unlock();
        }
    }

    /** A broker was stored or deleted: its anti-echo window, or its bindings gone. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void brokerChanged(long brokerId) {
        awaitLoaded();
        changes.lock();
        try {
            Broker b = em.find(Broker.class, brokerId);
            if (b == null) {
                config.removeBroker(brokerId);
            } else {
                EngineLoader.putBroker(config, b);
            }
        } finally {
            changes.unlock();
        }
    }

    /** The command topics of one broker: what its session must subscribe. */
    public Set<String> commandTopics(long brokerId) {
        awaitLoaded();
        return config.commandTopics(brokerId);
    }

    /** A message from a broker. Never throws for bad input: it is counted on the datapoint instead. */
    public void onMqtt(MqttMessage message) {
        awaitLoaded(); // one volatile read: sessions open only after the load, so this never waits in practice
        intake.onMqtt(message);
    }

    /** A value written through the service API: the same way as an MQTT command. */
    public ValueState.Snapshot write(String datapoint, String text, String source) {
        awaitLoaded();
        DpConfig dp = dpByName(datapoint);
        ValueIntake.requireCommandable(dp);
        if ((text == null || text.isEmpty()) && intake.relinquishBacnet(dp)) {
            return state(dp.id()).snapshot();
        }
        String value = ValueCodec.canonical(dp.type(), text, "value");
        accept(dp, value, source);
        toBacnet(dp, value);
        return state(dp.id()).snapshot();
    }

    /** Commands of BACnet-bound datapoints go to this hook; null removes it. */
    public void bacnetWrites(BacnetWrites hook) {
        intake.bacnetWrites = hook;
    }

    void toBacnet(DpConfig dp, String value) {
        intake.toBacnet(dp, value);
    }

    /** The field buses' way in (values, refusals, reachability) without a container invocation (bus threads). */
    public FieldInput fieldInput() {
        return fieldPath;
    }

    /**
     * A value from a BACnet device. The device is the datapoint's source, so any access mode takes it; it is reported
     * like any value but never written back to the bus. {@code decode} turns the device's value into the canonical
     * text of the datapoint's current type, or throws {@link InvalidValueException} (counted on the datapoint).
     */
    public void applyBacnetValue(long datapointId, java.util.function.Function<DataType, String> decode, String source) {
        fieldPath.bacnet(datapointId, decode, source);
    }

    /**
     * A command the field bus did not take (a write the BACnet device refused or did not answer): counted on the
     * datapoint with the reason like a rejected input (logged once per datapoint), so that the integrator sees it
     * where the value is. The datapoint keeps the commanded value: the device may take it on a later write.
     */
    public void fieldWriteFailed(long datapointId, String reason) {
        fieldPath.refused(datapointId, reason);
    }

    /** The availability messages of datapoints with a field-bus source bound on the broker (its session opened). */
    public List<org.bmsmqtt.ra.api.Publication> availabilityOf(long brokerId) {
        return reports.availabilityOf(brokerId, states);
    }

    /** Only one field sink for now (KNX); BACnet will need a list. */
    public void attachFieldSink(FieldSink sink) {
        intake.fieldSink = sink;
    }

    public ValueState.Snapshot current(String datapoint) {
        awaitLoaded();
        return state(dpByName(datapoint).id()).snapshot();
    }

    /** The datapoint's type from the configuration in memory: reading a value needs no database. */
    public DataType typeOf(String datapoint) {
        awaitLoaded();
        return dpByName(datapoint).type();
    }

    public Optional<Long> idOf(String datapoint) {
        awaitLoaded();
        return Optional.ofNullable(config.idOf(datapoint));
    }

    void accept(DpConfig dp, String value, String source) {
        intake.accept(dp, value, source, false);
    }

    /**
     * {@link #onMqtt} without a container invocation per message, for the MDB: a reference to this instance's method.
     * The bean is BEAN-concurrent and NOT_SUPPORTED, so the container adds nothing on this path but its cost.
     */
    public java.util.function.Consumer<MqttMessage> directPath() {
        return this::onMqtt;
    }

    void reject(DpConfig dp, String reason) {
        intake.reject(dp, reason);
    }

    private DpConfig dpByName(String name) {
        Long id = config.idOf(name);
        DpConfig dp = id == null ? null : config.datapoint(id);
        if (dp == null) {
            throw new NotFoundException("name", "no datapoint named '" + name + "'");
        }
        return dp;
    }

    ValueState state(long id) {
        return states.computeIfAbsent(id, k -> new ValueState());
    }

    boolean isLoaded() {
        return loaded;
    }

    FieldSink fieldSink() {
        return intake.fieldSink;
    }

    ValueState existingState(long id) {
        return states.get(id);
    }

    EngineConfig config() {
        return config;
    }

    ReportFanOut reports() {
        return reports;
    }

    void countMessage() {
        intake.messages.increment();
    }
}
