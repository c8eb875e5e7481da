package org.bmsmqtt.ra.api;

/** Told about every state change of a broker session. Called on the adapter's thread: return quickly. */
@FunctionalInterface
public interface SessionStatusListener {

    void statusChanged(SessionStatus status);
}
