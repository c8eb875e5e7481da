package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.datapoint.EngineConfig.BindingConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.bmsmqtt.bms.history.HistoryWriter;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.ra.api.MqttMessage;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The way values come into the {@link DatapointEngine}: an MQTT command is matched to its bindings, decoded and
 * checked (access mode, options, anti-echo), then accepted - field bus, history, state, the other members, the
 * persistent value, report topics - or rejected and counted on the datapoint. Field-bus values come here through
 * {@link FieldPath}. Nothing here opens a transaction or blocks.
 */
final class ValueIntake {

    private static final Logger LOG = Logger.getLogger(DatapointEngine.class.getName());

    private final DatapointEngine engine;
    private final EngineConfig config;
    private final ReportFanOut reports;
    private final MemberSync members;
    private final HistoryWriter writer;
    private final Origin origin;
    final LongAdder messages = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    volatile Consumer<MqttMessage> unmatched = m -> { };
    volatile BacnetWrites bacnetWrites; // set by bacnet.BacnetNetwork at its start
    volatile FieldSink fieldSink; // the KNX gateway: commands become bus writes

    ValueIntake(DatapointEngine engine, EngineConfig config, ReportFanOut reports, MemberSync members,
                HistoryWriter writer, Origin origin) {
        this.engine = engine;
        this.config = config;
        this.reports = reports;
        this.members = members;
        this.writer = writer;
        this.origin = origin;
    }

    void onMqtt(MqttMessage message) {
        messages.increment();
        long brokerId;
        try {
            brokerId = Long.parseLong(message.broker());
        } catch (NumberFormatException e) {
            return; // not one of the registry's sessions
        }
        List<BindingConfig> bindings = config.commandBindings(brokerId, message.topic());
        if (bindings == null) {
            unmatched.accept(message); // a feature's own subscription (discovery reading back its configs)
            return;
        }
        if (!message.userProperties().isEmpty() && origin.isOurs(message.userProperties())) {
            return; // our own publication coming back: never loop
        }
        String source = "mqtt:" + brokerId + ":" + message.topic();
        boolean shared = members.isShared(brokerId);
        for (BindingConfig b : bindings) {
            DpConfig dp = config.datapoint(b.datapointId());
            if (dp == null) {
                continue;
            }
            try {
                requireCommandable(dp);
                if (message.payload().length == 0 && relinquishBacnet(dp)) {
                    continue;
                }
                String value = PayloadCodec.decode(message.payload(), dp.type(), b.format(), b.pointer());
                if (reports.isEcho(engine.state(dp.id()), brokerId, value)) {
                    continue; // our own report came back without our mark (a bridge, an MQTT 3 client): counted
                }
                accept(dp, value, source, shared);
                toBacnet(dp, value);
            } catch (InvalidValueException e) {
                reject(dp, e.getMessage() + " (from " + source + ")");
            }
        }
    }

    void accept(DpConfig dp, String value, String source, boolean shared) {
        DatapointSettings.requireOption(dp.options(), value, "value"); // from MQTT: counted as a rejected payload
        FieldSink sink = fieldSink;
        if (sink != null) {
            sink.command(dp.id(), dp.type(), value, source); // may refuse a value the bus cannot carry: nothing changed yet
        }
        Instant now = Instant.now();
        if (dp.historical()) {
            writer.history(new HistoryWriter.Row(dp.id(), now, value, clip(source))); // refuses when full: not accepted
        }
        ValueState st = engine.state(dp.id());
        st.accept(value, now, source);
        accepted.increment();
        members.accepted(dp, value, now, source, shared); // to the other members, asynchronously
        if (dp.persistent()) {
            ValueState.Snapshot s = st.snapshot();
            writer.latest(new HistoryWriter.Latest(dp.id(), value, now, clip(source), s.rejected(), s.lastError()));
        }
        if (dp.mode().reports()) {
            reports.report(dp, st, value, id -> false);
        }
    }

    void reject(DpConfig dp, String reason) {
        rejected.increment();
        ValueState st = engine.state(dp.id());
        long count = st.reject(reason);
        members.rejected(dp, count, reason);
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

    static void requireCommandable(DpConfig dp) {
        if (!dp.mode().takesCommands()) {
            throw new InvalidValueException("value", "datapoint " + dp.name() + " is READ: it takes no commands");
        }
    }

    void toBacnet(DpConfig dp, String value) {
        BacnetWrites hook = bacnetWrites;
        if (hook != null) {
            hook.command(dp.id(), dp.type(), value);
        }
    }

    boolean relinquishBacnet(DpConfig dp) {
        BacnetWrites hook = bacnetWrites;
        return hook != null && hook.relinquish(dp.id());
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static String clip1000(String s) {
        return s == null ? "" : s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
