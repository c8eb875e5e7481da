package org.bmsmqtt.ra.api;

/** Where a broker session stands. */
public enum SessionState {
    DISCONNECTED, CONNECTING, CONNECTED, FAILED
}
