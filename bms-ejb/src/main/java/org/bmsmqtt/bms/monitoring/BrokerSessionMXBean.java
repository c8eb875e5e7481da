package org.bmsmqtt.bms.monitoring;

/**
 * One broker session, as JConsole/VisualVM show it under {@code org.bmsmqtt:type=BrokerSession,name=<broker>}.
 * Counters count since the session opened (a changed broker opens a new session).
 */
public interface BrokerSessionMXBean {

    long getBrokerId();

    String getBroker();

    /** DISCONNECTED, CONNECTING, CONNECTED or FAILED. */
    String getState();

    String getReason();

    /** When the session entered its state (ISO-8601). */
    String getSince();

    String getLastError();

    /** When the last error happened (ISO-8601), empty if never. */
    String getLastErrorAt();

    long getReceived();

    long getPublished();

    long getBuffered();

    long getExpired();

    /** Publications refused (publish queue full past the wait, or given up by the client). */
    long getRefused();

    long getUndeliverable();

    long getDropped();

    long getReconnects();
}
