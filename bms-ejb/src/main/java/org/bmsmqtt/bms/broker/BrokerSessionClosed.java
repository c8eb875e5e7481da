package org.bmsmqtt.bms.broker;

/** A broker's session was closed by the {@link BrokerRegistry} (broker deleted, disabled, changed, or shutdown). */
public record BrokerSessionClosed(long brokerId, String name) {
}
