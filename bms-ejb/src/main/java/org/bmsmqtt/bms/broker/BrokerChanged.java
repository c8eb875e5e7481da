package org.bmsmqtt.bms.broker;

/** A broker was created, updated or deleted: the registry re-opens (or closes) its session after commit. */
public record BrokerChanged(long brokerId, boolean deleted) {
}
