package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.Optional;
import java.util.function.Function;

/**
 * The field buses' way into the engine (KNX telegrams, BACnet values, refused writes, reachability), called on their
 * own threads without a container invocation. A value from a bus updates the datapoint whatever its access mode (the
 * bus is the truth for READ datapoints) and takes the same path as a command, reports included. Never throws for bad
 * input: it is counted on the datapoint. Everything that comes in while the engine loads waits for the load (a bus
 * thread may wait; nothing is dropped), except reachability, which is kept for the load ({@link PendingSources}).
 */
final class FieldPath implements FieldInput {

    private final DatapointEngine engine;
    private final PendingSources sourcesWhileLoading = new PendingSources();

    FieldPath(DatapointEngine engine) {
        this.engine = engine;
    }

    @Override
    public void value(long datapointId, String value, String source) {
        engine.awaitLoaded();
        engine.countMessage();
        DpConfig dp = engine.config().datapoint(datapointId);
        if (dp == null) {
            return; // deleted meanwhile
        }
        try {
            engine.accept(dp, ValueCodec.canonical(dp.type(), value, "value"), source);
        } catch (InvalidValueException e) {
            engine.reject(dp, e.getMessage() + " (from " + source + ")");
        }
    }

    @Override
    public void invalid(long datapointId, String reason) {
        engine.countMessage();
        refused(datapointId, reason); // waits for the load
    }

    /** A command the bus did not take, or an input that did not fit: counted on the datapoint, logged once. */
    void refused(long datapointId, String reason) {
        engine.awaitLoaded();
        DpConfig dp = engine.config().datapoint(datapointId);
        if (dp != null) {
            engine.reject(dp, reason);
        }
    }

    /** A BACnet device's value: {@code decode} gives the canonical text for the datapoint's current type, or null. */
    void bacnet(long datapointId, Function<DataType, String> decode, String source) {
        engine.awaitLoaded();
        DpConfig dp = engine.config().datapoint(datapointId);
        if (dp == null) {
            return;
        }
        try {
            String value = decode.apply(dp.type());
            if (value != null) { // BACnet Null: no value to take
                engine.accept(dp, ValueCodec.canonical(dp.type(), value, "value"), source);
            }
        } catch (InvalidValueException e) {
            engine.reject(dp, e.getMessage() + " (from " + source + ")");
        }
    }

    @Override
    public Optional<String> current(long datapointId) {
        engine.awaitLoaded(); // a bus read request is answered with the restored value, not with nothing
        ValueState s = engine.existingState(datapointId);
        return s == null ? Optional.empty() : Optional.ofNullable(s.snapshot().value());
    }

    @Override
    public void reachable(long datapointId, String source, String downReason) {
        if (!sourcesWhileLoading.reachable(datapointId, source, downReason)) {
            return; // applied by the load (the gateways start before the engine has loaded)
        }
        DpConfig dp = engine.config().datapoint(datapointId);
        if (dp != null) {
            ValueState st = engine.state(datapointId);
            if (st.source(source, downReason)) {
                engine.reports().sourceChanged(dp, st);
            }
        }
    }

    @Override
    public void sourceGone(long datapointId, String source) {
        if (!sourcesWhileLoading.gone(datapointId, source)) {
            return;
        }
        ValueState st = engine.existingState(datapointId);
        DpConfig dp = engine.config().datapoint(datapointId);
        if (dp != null && st != null && st.sourceGone(source)) {
            engine.reports().sourceChanged(dp, st);
        }
    }

    /** At the end of the engine's load: the reachability told meanwhile goes into the datapoints' states. */
    void loaded() {
        sourcesWhileLoading.applyAndOpen(id -> engine.config().datapoint(id) == null ? null : engine.state(id));
    }
}
