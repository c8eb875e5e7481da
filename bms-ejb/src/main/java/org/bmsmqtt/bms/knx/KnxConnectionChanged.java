package org.bmsmqtt.bms.knx;

/** A KNX connection was created, updated or deleted: the gateway re-opens (or closes) it after commit. */
public record KnxConnectionChanged(long connectionId, boolean deleted) {
}
