package org.bmsmqtt.bms.knx;

/** The state of a KNX connection: a live one's, or DISABLED for a stopped one (it has no link). */
public enum KnxState {
    DISCONNECTED, CONNECTING, CONNECTED, FAILED, DISABLED
}
