package org.bmsmqtt.bms.datapoint;

/** Datapoints or bindings changed: the engine reloads and the registry re-subscribes after commit. */
public record DatapointsChanged() {
}
