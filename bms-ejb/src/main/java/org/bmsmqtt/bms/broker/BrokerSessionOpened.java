package org.bmsmqtt.bms.broker;

import org.bmsmqtt.ra.api.SessionStatus;

import java.util.function.Supplier;

/**
 * A broker's session was opened by the {@link BrokerRegistry} (start-up, broker created, enabled or changed). Fired
 * synchronously; observers must return quickly and never throw (monitoring registers its MBean, metrics and check).
 *
 * @param brokerId the broker's id
 * @param name     the broker's name
 * @param status   the session's status, read live; never throws (a closed session reads as DISCONNECTED)
 */
public record BrokerSessionOpened(long brokerId, String name, Supplier<SessionStatus> status) {
}
