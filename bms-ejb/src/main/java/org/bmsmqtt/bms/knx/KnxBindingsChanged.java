package org.bmsmqtt.bms.knx;

/** The KNX bindings of one datapoint changed: the gateway re-reads them after commit. */
public record KnxBindingsChanged(long datapointId) {
}
