package org.bmsmqtt.bms.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.history.HistoryWriter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The engine's and the history queue's figures as an MBean ({@code org.bmsmqtt:type=Engine,name=bms}) and as gauges.
 * The gauges read the counters the engine keeps anyway (LongAdders) when they are scraped: nothing per message.
 * Counts are monotonic since start: use {@code rate()} on them.
 * <p>
 * No {@code @DependsOn}: nothing here calls the engine before a scrape, and Payara 6 reports a false "cyclic
 * dependency" for {@code A dependsOn B, C; C dependsOn B} now and then (fixed in GlassFish PR #25762 only).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class EngineMonitor {

    static final ObjectName MBEAN = Jmx.name("Engine", "bms");

    @Inject
    DatapointEngine engine;
    @Inject
    HistoryWriter history;
    @Inject
    MetricRegistry metrics;

    private final List<String> names = new ArrayList<>();

    @PostConstruct
    void start() {
        EngineView view = new EngineView(engine, history);
        Jmx.register(MBEAN, view);
        gauge(view, "bms.engine.messages", "MQTT messages that reached the engine", MetricUnits.NONE,
                EngineView::getMessages);
        gauge(view, "bms.engine.accepted", "Values accepted (MQTT commands and API writes)", MetricUnits.NONE,
                EngineView::getAccepted);
        gauge(view, "bms.engine.rejected", "Inputs rejected: payloads that do not decode, commands to READ datapoints",
                MetricUnits.NONE, EngineView::getRejected);
        gauge(view, "bms.engine.reports", "Reports published to report topics", MetricUnits.NONE,
                EngineView::getReports);
        gauge(view, "bms.history.queue.depth", "Values waiting to be written to the database", MetricUnits.NONE,
                EngineView::getHistoryQueueDepth);
        gauge(view, "bms.history.queue.capacity", "Values the history queue holds at most", MetricUnits.NONE,
                EngineView::getHistoryQueueCapacity);
        gauge(view, "bms.history.lag", "Age of the oldest value waiting to be written; 0 when none waits",
                MetricUnits.SECONDS, EngineView::getHistoryLagSeconds);
        gauge(view, "bms.history.written", "History rows written to the database", MetricUnits.NONE,
                EngineView::getHistoryWritten);
        gauge(view, "bms.history.refused", "Values refused because the history queue stayed full", MetricUnits.NONE,
                EngineView::getHistoryRefused);
        gauge(view, "bms.history.degraded", "1 while the database refuses the writes, else 0", MetricUnits.NONE,
                v -> v.isHistoryDegraded() ? 1 : 0);
    }

    private void gauge(EngineView view, String name, String description, String unit,
                       Function<EngineView, Number> value) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(), view,
                value);
        names.add(name);
    }

    @PreDestroy
    void stop() {
        Jmx.unregister(MBEAN);
        names.forEach(metrics::remove);
    }
}
