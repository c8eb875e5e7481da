package org.bmsmqtt.bms.knx;

import java.time.Instant;

/**
 * A KNX connection's status: state, why, since when, the last error, and counters since the connection was opened
 * (telegrams received and sent, bus echoes of our own writes dropped, writes held while disconnected, errors,
 * successful connects).
 */
public record KnxStatus(String name, KnxState state, String reason, Instant since, String lastError,
                        long telegramsIn, long telegramsOut, long echoesDropped, long writesDeferred, long errors,
                        long connects) {
}
