package org.bmsmqtt.ra.api;

import java.time.Instant;

/**
 * A snapshot of one broker session.
 *
 * @param state      the current state
 * @param reason     why it is in that state (empty when connected)
 * @param since      when it entered that state
 * @param received   messages received since the session was opened
 * @param published  messages published since the session was opened
 * @param reconnects successful connects after the first
 */
public record SessionStatus(SessionState state, String reason, Instant since, long received, long published,
                            long reconnects) {
}
