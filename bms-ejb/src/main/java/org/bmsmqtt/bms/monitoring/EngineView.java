package org.bmsmqtt.bms.monitoring;

import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.history.HistoryWriter;

import java.time.Duration;
import java.time.Instant;

/** The engine's MBean, and the figures its metrics read: every call reads the engine's own counters now. */
final class EngineView implements EngineMXBean {

    private final DatapointEngine engine;
    private final HistoryWriter history;

    EngineView(DatapointEngine engine, HistoryWriter history) {
        this.engine = engine;
        this.history = history;
    }

    @Override
    public long getMessages() {
        return engine.counters().messages();
    }

    @Override
    public long getAccepted() {
        return engine.counters().accepted();
    }

    @Override
    public long getRejected() {
        return engine.counters().rejected();
    }

    @Override
    public long getReports() {
        return engine.counters().reports();
    }

    @Override
    public int getHistoryQueueDepth() {
        return history.status().depth();
    }

    @Override
    public int getHistoryQueueCapacity() {
        return history.status().capacity();
    }

    @Override
    public long getHistoryWritten() {
        return history.status().written();
    }

    @Override
    public long getHistoryRefused() {
        return history.status().refused();
    }

    @Override
    public boolean isHistoryDegraded() {
        return history.status().degraded();
    }

    @Override
    public String getHistoryLastError() {
        String e = history.status().lastError();
        return e == null ? "" : e;
    }

    @Override
    public double getHistoryLagSeconds() {
        return history.oldestWaiting()
                .map(t -> Math.max(0, Duration.between(t, Instant.now()).toMillis()) / 1000.0)
                .orElse(0.0);
    }
}
