package org.bmsmqtt.bms.datapoint;

/**
 * A datapoint or one of its bindings was created, changed or deleted: after commit the engine re-reads that one
 * datapoint and the registry subscribes or unsubscribes the command topics that came or went.
 */
public record DatapointsChanged(long datapointId) {
}
