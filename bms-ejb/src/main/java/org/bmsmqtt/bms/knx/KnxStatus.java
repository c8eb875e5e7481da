package org.bmsmqtt.bms.knx;

import java.time.Instant;

/**
 * A KNX connection's status: state, why, since when, the last error, and counters since the connection was opened
 * (telegrams received and sent, bus echoes of our own writes dropped, writes held while disconnected, errors,
 * successful connects, read requests from the bus answered).
 */
public record KnxStatus(String name, KnxState state, String reason, Instant since, String lastError,
                        long telegramsIn, long telegramsOut, long echoesDropped, long writesDeferred, long errors,
                        long connects, long readsAnswered) {

    /** A stopped connection: it has no link, so no counters. */
    public static KnxStatus disabled(String name) {
        return new KnxStatus(name, KnxState.DISABLED, "stopped (enabled=false): POST .../start to connect", Instant.now(),
                "", 0, 0, 0, 0, 0, 0, 0);
    }
}
