package org.bmsmqtt.bms.knx;

/** The state of a live KNX connection. */
public enum KnxState {
    DISCONNECTED, CONNECTING, CONNECTED, FAILED
}
