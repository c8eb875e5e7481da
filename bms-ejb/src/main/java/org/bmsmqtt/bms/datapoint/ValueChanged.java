package org.bmsmqtt.bms.datapoint;

import java.time.Instant;

/** Fired when a datapoint took a new value; reported to MQTT once the transaction committed. */
public record ValueChanged(String datapoint, String value, Instant time, String source) {
}
