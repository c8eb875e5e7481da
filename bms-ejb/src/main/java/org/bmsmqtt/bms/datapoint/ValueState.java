package org.bmsmqtt.bms.datapoint;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The live state of one datapoint, held in memory by the engine: the current value, where it came from, what was
 * rejected and why. Guarded by its own monitor.
 */
public final class ValueState {

    /** When a value last came from a broker (for the anti-echo window). */
    record Arrival(String value, long nanos) {
    }

    private String value;
    private Instant time;
    private String source = "";
    private long rejected;
    private String lastError = "";
    private Instant lastErrorAt;
    private long updates;
    private final Map<Long, Arrival> fromBroker = new HashMap<>();

    synchronized void accept(String newValue, Instant at, String from) {
        value = newValue;
        time = at;
        source = from;
        updates++;
    }

    synchronized void arrivedFrom(long brokerId, String newValue, long nanos) {
        fromBroker.put(brokerId, new Arrival(newValue, nanos));
    }

    /** Whether {@code v} came from {@code brokerId} less than {@code windowNanos} ago: sending it back would echo. */
    synchronized boolean isEcho(long brokerId, String v, long windowNanos, long now) {
        Arrival a = fromBroker.get(brokerId);
        return a != null && windowNanos > 0 && a.value().equals(v) && now - a.nanos() < windowNanos;
    }

    synchronized long reject(String reason) {
        rejected++;
        lastError = reason;
        lastErrorAt = Instant.now();
        return rejected;
    }

    synchronized void restore(String v, Instant at, String from, long rejectedCount, String error) {
        value = v;
        time = at;
        source = from == null ? "" : from;
        rejected = rejectedCount;
        lastError = error == null ? "" : error;
    }

    /** A consistent copy for readers. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(value, time, source, rejected, lastError, lastErrorAt, updates);
    }

    /** Current value (null if none yet), its time and source, rejected inputs and the last reason, updates seen. */
    public record Snapshot(String value, Instant time, String source, long rejected, String lastError,
                           Instant lastErrorAt, long updates) {
    }
}
