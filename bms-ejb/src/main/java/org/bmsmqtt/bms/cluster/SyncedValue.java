package org.bmsmqtt.bms.cluster;

import java.time.Instant;

/** One value as it crosses the data grid: a plain string, so members need no shared classes to read it. */
record SyncedValue(long datapointId, String value, Instant at, String source) {

    static String encode(long datapointId, String value, Instant at, String source) {
        // the value last: it is the only part that may hold any character
        return datapointId + "\t" + at.toEpochMilli() + "\t" + at.getNano() + "\t" + source.replace('\t', ' ') + "\t"
                + value;
    }

    static SyncedValue decode(String text) {
        String[] p = text.split("\t", 5);
        if (p.length != 5) {
            throw new IllegalArgumentException("not a synced value: " + text);
        }
        Instant at = Instant.ofEpochSecond(Math.floorDiv(Long.parseLong(p[1]), 1000), Long.parseLong(p[2]));
        return new SyncedValue(Long.parseLong(p[0]), p[4], at, p[3]);
    }
}
