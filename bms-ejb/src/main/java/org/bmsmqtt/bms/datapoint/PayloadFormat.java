package org.bmsmqtt.bms.datapoint;

/** How a binding's payloads look: the bare value, or JSON with the value at a JSON Pointer. */
public enum PayloadFormat {
    PLAIN, JSON
}
