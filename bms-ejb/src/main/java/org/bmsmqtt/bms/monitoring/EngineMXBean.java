package org.bmsmqtt.bms.monitoring;

/**
 * The datapoint engine and its write-behind history queue, under {@code org.bmsmqtt:type=Engine,name=bms}.
 * Counters count since the application started.
 */
public interface EngineMXBean {

    /** MQTT messages that reached the engine. */
    long getMessages();

    /** Values accepted (MQTT commands and API writes). */
    long getAccepted();

    /** Inputs rejected: payloads that do not decode, commands to READ datapoints. */
    long getRejected();

    /** Reports published to report topics. */
    long getReports();

    int getHistoryQueueDepth();

    int getHistoryQueueCapacity();

    long getHistoryWritten();

    long getHistoryRefused();

    /** True while the database refuses the writes (values wait in the queue). */
    boolean isHistoryDegraded();

    String getHistoryLastError();

    /** Age of the oldest value waiting to be written, in seconds; 0 when nothing waits. */
    double getHistoryLagSeconds();
}
