package org.bmsmqtt.bms.datapoint;

/** The value types of a datapoint. */
public enum DataType {
    REAL, INTEGER, BOOLEAN, STRING
}
