package org.bmsmqtt.ra.api;

import java.time.Instant;

/**
 * A snapshot of one broker session.
 *
 * @param broker        the broker's name ({@link BrokerSpec#name()})
 * @param state         the current state
 * @param reason        why it is in that state (empty when connected), e.g. "MQTT reason code 134: bad user name or password"
 * @param since         when it entered that state
 * @param lastError     the last failure seen, even after recovery (empty if none)
 * @param lastErrorAt   when that was (null if never)
 * @param received      messages received since the session was opened
 * @param published     messages handed to the broker
 * @param buffered      publications waiting for the broker now (away, or its in-flight window full)
 * @param expired       buffered publications dropped because their message expiry passed while disconnected
 * @param undeliverable messages given up after the endpoint failed every retry
 * @param dropped       QoS 0 messages dropped because the endpoints could not keep up
 * @param reconnects    successful connects after the first
 * @param refused       publications refused (queue full past the wait) or given up by the client (see the log)
 */
public record SessionStatus(String broker, SessionState state, String reason, Instant since, String lastError,
                            Instant lastErrorAt, long received, long published, long buffered, long expired,
                            long undeliverable, long dropped, long reconnects, long refused) {
}
