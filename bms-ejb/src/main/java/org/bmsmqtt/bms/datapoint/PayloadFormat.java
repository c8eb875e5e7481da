package org.bmsmqtt.bms.datapoint;

/**
 * How a binding's payloads look: the bare value ({@code PLAIN}), JSON with the value at a JSON Pointer ({@code JSON}),
 * or a JSON state ({@code STATE}): reports as {@code {"value":..,"unit":..,"timestamp":..,"quality":..}} so dashboards
 * get the unit and the time without a lookup; commands as such an object (its {@code value}) or a bare value.
 */
public enum PayloadFormat {
    PLAIN, JSON, STATE
}
