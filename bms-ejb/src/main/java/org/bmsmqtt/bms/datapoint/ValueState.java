package org.bmsmqtt.bms.datapoint;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The live state of one datapoint, held in memory by the engine: the current value, where it came from, what was
 * rejected and why. Guarded by its own monitor.
 */
public final class ValueState {

    /** A value and when it came from (or went to) a broker, for the anti-echo window. */
    record Arrival(String value, long nanos) {
    }

    /**
     * Reports whose echo may still come back, per broker; a loop echoes each report once, so each is matched once. Two
     * values in flight at once are what a slow loop needs to oscillate; a few more cover a burst.
     */
    static final int ECHO_SLOTS = 4;

    private String value;
    private Instant time;
    private String source = "";
    private long rejected;
    private String lastError = "";
    private Instant lastErrorAt;
    private long updates;
    private long echoes;
    private long reportsRefused;
    private String lastReportError = "";
    private final Map<Long, Arrival> fromBroker = new HashMap<>(2);
    private Map<Long, EchoSlots> reportedTo;
    /**
     * The field-bus sources of the value (a KNX connection, a BACnet binding) and why each cannot be reached now
     * ({@code ""}: reachable); null or empty for a virtual datapoint, which is always reachable.
     */
    private Map<String, String> sources;

    /** The last {@link #ECHO_SLOTS} reports to one broker, oldest first, in arrays: no allocation per report. */
    private static final class EchoSlots {
        final String[] values = new String[ECHO_SLOTS];
        final long[] at = new long[ECHO_SLOTS];
        int count;

        void add(String v, long nanos) {
            if (count == ECHO_SLOTS) {
                remove(0);
            }
            values[count] = v;
            at[count] = nanos;
            count++;
        }

        void remove(int i) {
            System.arraycopy(values, i + 1, values, i, count - i - 1);
            System.arraycopy(at, i + 1, at, i, count - i - 1);
            values[--count] = null;
        }
    }

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

    /** A report of {@code v} goes to {@code brokerId} now: its echo, if a loop brings one back, is expected. */
    synchronized void reportedTo(long brokerId, String v, long nanos) {
        if (reportedTo == null) {
            reportedTo = new HashMap<>(2);
        }
        EchoSlots slots = reportedTo.get(brokerId);
        if (slots == null) {
            slots = new EchoSlots();
            reportedTo.put(brokerId, slots);
        }
        slots.add(v, nanos);
    }

    /**
     * Whether {@code v} arriving from {@code brokerId} is the echo of a report to it less than {@code windowNanos} ago
     * that no earlier arrival matched; that report is then matched (each report explains one echo) and the echo counted.
     */
    synchronized boolean takeEcho(long brokerId, String v, long windowNanos, long now) {
        EchoSlots slots = reportedTo == null ? null : reportedTo.get(brokerId);
        if (slots == null || windowNanos <= 0) {
            return false;
        }
        // oldest first: past the window, no echo can be told apart from a command any more
        while (slots.count > 0 && now - slots.at[0] >= windowNanos) {
            slots.remove(0);
        }
        for (int i = 0; i < slots.count; i++) {
            if (slots.values[i].equals(v)) {
                slots.remove(i);
                echoes++;
                return true;
            }
        }
        return false;
    }

    /** A report that did not go out (its broker's queue stayed full, the broker is stopped): counted where the value is. */
    synchronized long reportRefused(String reason) {
        lastReportError = reason;
        return ++reportsRefused;
    }

    /** The main's count of rejected inputs and its last reason, on a backup: the newer one wins. */
    synchronized void syncedRejections(long count, String reason, Instant at) {
        if (lastErrorAt == null || !at.isBefore(lastErrorAt)) {
            rejected = Math.max(rejected, count);
            lastError = reason;
            lastErrorAt = at;
        }
    }

    synchronized long reject(String reason) {
        rejected++;
        lastError = reason;
        lastErrorAt = Instant.now();
        return rejected;
    }

    /** A value the cluster's main accepted; an older one (messages crossing) never replaces a newer. */
    synchronized void synced(String newValue, Instant at, String from) {
        if (time == null || !at.isBefore(time)) {
            accept(newValue, at, from);
        }
    }

    synchronized void restore(String v, Instant at, String from, long rejectedCount, String error) {
        rejected = rejectedCount;
        lastError = error == null ? "" : error;
        if (time != null && (at == null || !at.isAfter(time))) {
            return; // a value synced from the main is newer than the database's last write: it stays
        }
        value = v;
        time = at;
        source = from == null ? "" : from;
    }

    /**
     * A field-bus source of the value is reachable ({@code downReason} empty) or not. True when what consumers see
     * changed: the datapoint got its first source (it now has an availability), or its quality changed.
     */
    synchronized boolean source(String key, String downReason) {
        boolean first = sources == null || sources.isEmpty();
        String before = quality();
        if (sources == null) {
            sources = new HashMap<>(2);
        }
        sources.put(key, downReason == null ? "" : downReason);
        return first || !before.equals(quality());
    }

    /** A source went away (its binding was removed). True when what consumers see changed, as for {@link #source}. */
    synchronized boolean sourceGone(String key) {
        if (sources == null || !sources.containsKey(key)) {
            return false;
        }
        String before = quality();
        sources.remove(key);
        return sources.isEmpty() || !before.equals(quality());
    }

    /** Whether the value comes from a field bus (only such a datapoint has an availability of its own). */
    synchronized boolean hasSources() {
        return sources != null && !sources.isEmpty();
    }

    /** {@link #GOOD}, or {@link #UNREACHABLE} while any of its field-bus sources cannot be reached. */
    synchronized String quality() {
        return qualityReason().isEmpty() ? GOOD : UNREACHABLE;
    }

    /** Why the value's source cannot be reached (the first reason, by source name); empty when it can. */
    synchronized String qualityReason() {
        if (sources == null) {
            return "";
        }
        return sources.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .min(Map.Entry.comparingByKey()).map(Map.Entry::getValue).orElse("");
    }

    /** The quality of a value whose sources are all reachable, or that has none (virtual). */
    public static final String GOOD = PayloadCodec.GOOD;
    /** The quality of a value whose field-bus source cannot be reached: it is the last one known, perhaps stale. */
    public static final String UNREACHABLE = "unreachable";

    /** When the current value was accepted; null before the first. */
    synchronized Instant time() {
        return time;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(value, time, source, rejected, lastError, lastErrorAt, updates, echoes, reportsRefused,
                lastReportError, quality(), qualityReason());
    }

    /**
     * Current value (null if none yet), its time and source, rejected inputs and the last reason, updates seen, echoes
     * of our own reports dropped, reports that could not go out and the last reason, the value's quality
     * ({@link #GOOD} / {@link #UNREACHABLE}) and why it is not good.
     */
    public record Snapshot(String value, Instant time, String source, long rejected, String lastError,
                           Instant lastErrorAt, long updates, long echoes, long reportsRefused, String lastReportError,
                           String quality, String qualityReason) {
    }
}
