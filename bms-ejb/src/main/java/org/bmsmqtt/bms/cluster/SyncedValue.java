package org.bmsmqtt.bms.cluster;

import java.time.Instant;

/**
 * One value as it crosses the data grid: a plain string, so members need no shared classes to read it.
 * {@code shared}: taken from a shared broker by the member that sent it (active-active), not by the main. A rejection
 * (kind R) travels in the same shape: the reason as the value, the count as the source.
 */
record SyncedValue(long datapointId, String value, Instant at, String source, boolean shared) {

    static String encode(long datapointId, String value, Instant at, String source, boolean shared) {
        // the value last: it is the only part that may hold any character
        return datapointId + "\t" + at.toEpochMilli() + "\t" + at.getNano() + "\t" + (shared ? "S" : "B") + "\t"
                + source.replace('\t', ' ') + "\t" + value;
    }

    static String encodeRejections(long datapointId, long count, String reason, Instant at) {
        return datapointId + "\t" + at.toEpochMilli() + "\t" + at.getNano() + "\tR\t" + count + "\t" + reason;
    }

    static boolean isRejections(String text) {
        int tabs = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\t' && ++tabs == 3) {
                return text.startsWith("R\t", i + 1);
            }
        }
        return false;
    }

    static SyncedValue decode(String text) {
        String[] p = text.split("\t", 6);
        if (p.length != 6 || !p[3].equals("S") && !p[3].equals("B") && !p[3].equals("R")) {
            throw new IllegalArgumentException("not a synced value: " + text);
        }
        Instant at = Instant.ofEpochSecond(Math.floorDiv(Long.parseLong(p[1]), 1000), Long.parseLong(p[2]));
        return new SyncedValue(Long.parseLong(p[0]), p[5], at, p[4], p[3].equals("S"));
    }
}
