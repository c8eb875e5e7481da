package org.bmsmqtt.bms.cluster;

import java.time.Instant;

/**
 * One value as it crosses the data grid: a plain string, so members need no shared classes to read it.
 * {@code shared}: taken from a shared broker by the member that sent it (active-active), not by the main.
 */
record SyncedValue(long datapointId, String value, Instant at, String source, boolean shared) {

    static String encode(long datapointId, String value, Instant at, String source, boolean shared) {
        // the value last: it is the only part that may hold any character
        return datapointId + "\t" + at.toEpochMilli() + "\t" + at.getNano() + "\t" + (shared ? "S" : "B") + "\t"
                + source.replace('\t', ' ') + "\t" + value;
    }

    static SyncedValue decode(String text) {
        String[] p = text.split("\t", 6);
        if (p.length != 6 || !p[3].equals("S") && !p[3].equals("B")) {
            throw new IllegalArgumentException("not a synced value: " + text);
        }
        Instant at = Instant.ofEpochSecond(Math.floorDiv(Long.parseLong(p[1]), 1000), Long.parseLong(p[2]));
        return new SyncedValue(Long.parseLong(p[0]), p[5], at, p[4], p[3].equals("S"));
    }
}
