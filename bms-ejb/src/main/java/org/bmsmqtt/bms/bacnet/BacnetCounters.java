package org.bmsmqtt.bms.bacnet;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the BACnet network has done since the server started (kept across reopenings of the network): values taken
 * from COV notifications and from polls, writes sent and writes that failed. Read by the metrics.
 */
public final class BacnetCounters {

    final LongAdder covNotifications = new LongAdder();
    final LongAdder polls = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder writeFailures = new LongAdder();

    /** A consistent-enough copy for one scrape. */
    public record Snapshot(long covNotifications, long polls, long writes, long writeFailures) {
    }

    public Snapshot snapshot() {
        return new Snapshot(covNotifications.sum(), polls.sum(), writes.sum(), writeFailures.sum());
    }
}
