package org.bmsmqtt.bms.datapoint;

/**
 * Where the engine hands a datapoint's new value for a field bus (KNX now, BACnet later), before it is accepted:
 * the sink checks synchronously that the bus can carry the value (throwing
 * {@link org.bmsmqtt.bms.shared.InvalidValueException} refuses it like any bad input) and queues the bus write on its
 * own threads. Called for every accepted value: a sink returns at once for datapoints it does not bind and for
 * values that came from its own bus.
 */
@FunctionalInterface
public interface FieldSink {

    void command(long datapointId, DataType type, String canonicalValue, String source);
}
