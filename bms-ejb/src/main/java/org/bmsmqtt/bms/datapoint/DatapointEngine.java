package org.bmsmqtt.bms.datapoint;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.bms.history.HistoryWriter;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.Publication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The hot path: command topic message -> decode -> access check -> state in memory -> write-behind -> report topics.
 * No database transaction per message: configuration is an immutable snapshot reloaded after every change, values
 * live in {@link ValueState}s, persistence goes through the {@link HistoryWriter}.
 */
@Singleton
@Startup
@DependsOn({"SchemaMigration", "HistoryWriter"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatapointEngine {

    private static final Logger LOG = Logger.getLogger(DatapointEngine.class.getName());

    record DpConfig(long id, String name, DataType type, AccessMode mode, boolean persistent, boolean historical) {
    }

    record BindingConfig(long id, long datapointId, long brokerId, String commandTopic, String reportTopic, int qos,
                         boolean retained, PayloadFormat format, String pointer) {
    }

    /** Immutable configuration: swapped whole, read without locks. */
    record Config(Map<Long, DpConfig> byId, Map<String, Long> byName, Map<String, List<BindingConfig>> byCommand,
                  Map<Long, List<BindingConfig>> reportsOf, Map<Long, Long> antiEchoNanos) {
        static final Config EMPTY = new Config(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private HistoryWriter writer;
    @Inject
    private Origin origin;
    @Inject
    private Instance<BrokerRegistry> registry;

    private volatile Config config = Config.EMPTY;
    private final Map<Long, ValueState> states = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder messages = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder accepted = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder rejected = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder reports = new java.util.concurrent.atomic.LongAdder();

    /** Messages seen, values accepted and rejected, reports published since start. */
    public record Counters(long messages, long accepted, long rejected, long reports) {
    }

    public Counters counters() {
        return new Counters(messages.sum(), accepted.sum(), rejected.sum(), reports.sum());
    }

    @PostConstruct
    void start() {
        reload();
        int restored = 0;
        for (Datapoint dp : em.createNamedQuery("Datapoint.all", Datapoint.class).getResultList()) {
            if (dp.isPersistent() && dp.getValue() != null) {
                state(dp.getId()).restore(dp.getValue(), dp.getValueTime(), dp.getValueSource(), dp.getRejectedCount(),
                        dp.getLastError());
                restored++;
            }
        }
        LOG.info("BMS0600 datapoint engine ready: " + config.byId().size() + " datapoints, " + restored
                + " persistent values restored");
    }

    /** Re-reads datapoints and bindings; called at start-up and after every committed configuration change. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void reload() {
        Map<Long, DpConfig> byId = new HashMap<>();
        Map<String, Long> byName = new HashMap<>();
        for (Datapoint d : em.createNamedQuery("Datapoint.all", Datapoint.class).getResultList()) {
            byId.put(d.getId(), new DpConfig(d.getId(), d.getName(), d.getDataType(), d.getAccessMode(),
                    d.isPersistent(), d.isHistorical()));
            byName.put(d.getName(), d.getId());
        }
        Map<String, List<BindingConfig>> byCommand = new HashMap<>();
        Map<Long, List<BindingConfig>> reportsOf = new HashMap<>();
        for (MqttBinding b : em.createQuery("select b from MqttBinding b join fetch b.broker join fetch b.datapoint",
                MqttBinding.class).getResultList()) {
            BindingSettings s = b.settings();
            BindingConfig bc = new BindingConfig(b.getId(), b.getDatapoint().getId(), s.brokerId(), s.commandTopic(),
                    s.reportTopic(), s.qos(), s.retained(), s.payloadFormat(), s.jsonPointer());
            if (s.hasCommandTopic()) {
                byCommand.computeIfAbsent(key(s.brokerId(), s.commandTopic()), k -> new ArrayList<>()).add(bc);
            }
            if (s.hasReportTopic()) {
                reportsOf.computeIfAbsent(bc.datapointId(), k -> new ArrayList<>()).add(bc);
            }
        }
        Map<Long, Long> antiEcho = new HashMap<>();
        for (Broker b : em.createQuery("select b from Broker b", Broker.class).getResultList()) {
            antiEcho.put(b.getId(), TimeUnit.MILLISECONDS.toNanos(b.getAntiEchoMillis()));
        }
        config = new Config(Map.copyOf(byId), Map.copyOf(byName), Map.copyOf(byCommand), Map.copyOf(reportsOf),
                Map.copyOf(antiEcho));
        states.keySet().retainAll(byId.keySet());
    }

    /** The command topics of one broker: what its session must subscribe. */
    public Set<String> commandTopics(long brokerId) {
        Set<String> topics = new HashSet<>();
        for (List<BindingConfig> list : config.byCommand().values()) {
            for (BindingConfig b : list) {
                if (b.brokerId() == brokerId) {
                    topics.add(b.commandTopic());
                }
            }
        }
        return topics;
    }

    /** A message from a broker. Never throws for bad input: it is counted on the datapoint instead. */
    public void onMqtt(MqttMessage message) {
        messages.increment();
        if (origin.isOurs(message.userProperties())) {
            return; // our own publication coming back: never loop
        }
        long brokerId;
        try {
            brokerId = Long.parseLong(message.broker());
        } catch (NumberFormatException e) {
            return; // not one of the registry's sessions
        }
        Config c = config;
        List<BindingConfig> bindings = c.byCommand().get(key(brokerId, message.topic()));
        if (bindings == null) {
            return;
        }
        String source = "mqtt:" + brokerId + ":" + message.topic();
        for (BindingConfig b : bindings) {
            DpConfig dp = c.byId().get(b.datapointId());
            if (dp == null) {
                continue;
            }
            try {
                requireCommandable(dp);
                String value = PayloadCodec.decode(message.payload(), dp.type(), b.format(), b.pointer());
                state(dp.id()).arrivedFrom(brokerId, value, System.nanoTime());
                accept(c, dp, value, source);
            } catch (InvalidValueException e) {
                reject(dp, e.getMessage() + " (from " + source + ")");
            }
        }
    }

    /** A value written through the service API: the same way as an MQTT command. */
    public ValueState.Snapshot write(String datapoint, String text, String source) {
        Config c = config;
        DpConfig dp = dpByName(c, datapoint);
        requireCommandable(dp);
        accept(c, dp, ValueCodec.canonical(dp.type(), text, "value"), source);
        return state(dp.id()).snapshot();
    }

    public ValueState.Snapshot current(String datapoint) {
        return state(dpByName(config, datapoint).id()).snapshot();
    }

    /** The datapoint's type from the configuration in memory: reading a value needs no database. */
    public DataType typeOf(String datapoint) {
        return dpByName(config, datapoint).type();
    }

    public Optional<Long> idOf(String datapoint) {
        return Optional.ofNullable(config.byName().get(datapoint));
    }

    private void accept(Config c, DpConfig dp, String value, String source) {
        Instant now = Instant.now();
        if (dp.historical()) {
            writer.history(new HistoryWriter.Row(dp.id(), now, value, clip(source))); // refuses when full: not accepted
        }
        ValueState st = state(dp.id());
        st.accept(value, now, source);
        accepted.increment();
        if (dp.persistent()) {
            ValueState.Snapshot s = st.snapshot();
            writer.latest(new HistoryWriter.Latest(dp.id(), value, now, clip(source), s.rejected(), s.lastError()));
        }
        if (dp.mode().reports()) {
            report(c, dp, st, value);
        }
    }

    private void report(Config c, DpConfig dp, ValueState st, String value) {
        long now = System.nanoTime();
        for (BindingConfig b : c.reportsOf().getOrDefault(dp.id(), List.of())) {
            if (st.isEcho(b.brokerId(), value, c.antiEchoNanos().getOrDefault(b.brokerId(), 0L), now)) {
                continue; // the value came from this broker moments ago: sending it back would echo
            }
            Publication p = new Publication(b.reportTopic(), PayloadCodec.encode(value, dp.type(), b.format(), b.pointer()),
                    b.qos(), b.retained(), origin.mark());
            registry.get().publish(b.brokerId(), p);
            reports.increment();
        }
    }

    private void reject(DpConfig dp, String reason) {
        rejected.increment();
        ValueState st = state(dp.id());
        long count = st.reject(reason);
        if (count == 1) {
            LOG.warning("BMS0300 datapoint " + dp.name() + " rejected an input: " + reason
                    + " (further rejections are counted on the datapoint, not logged)");
        }
        if (dp.persistent()) {
            ValueState.Snapshot s = st.snapshot();
            writer.latest(new HistoryWriter.Latest(dp.id(), s.value(), s.time(), clip(s.source()), s.rejected(),
                    clip1000(s.lastError())));
        }
    }

    private static void requireCommandable(DpConfig dp) {
        if (!dp.mode().takesCommands()) {
            throw new InvalidValueException("value", "datapoint " + dp.name() + " is READ: it takes no commands");
        }
    }

    private static DpConfig dpByName(Config c, String name) {
        Long id = c.byName().get(name);
        if (id == null) {
            throw new NotFoundException("name", "no datapoint named '" + name + "'");
        }
        return c.byId().get(id);
    }

    private ValueState state(long id) {
        return states.computeIfAbsent(id, k -> new ValueState());
    }

    private static String key(long brokerId, String topic) {
        return brokerId + " " + topic;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static String clip1000(String s) {
        return s == null ? "" : s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
