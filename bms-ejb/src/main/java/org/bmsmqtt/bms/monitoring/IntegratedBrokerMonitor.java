package org.bmsmqtt.bms.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.integrated.IntegratedBroker;
import org.bmsmqtt.bms.integrated.IntegratedBrokerStatus;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The integrated broker's figures as gauges, read when scraped: clients, messages in and out, running. */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class IntegratedBrokerMonitor {

    @Inject
    IntegratedBroker broker;
    @Inject
    MetricRegistry metrics;

    private final List<String> names = new ArrayList<>();

    @PostConstruct
    void start() {
        gauge("bms.integrated.clients", "Clients connected to the integrated broker", s -> s.connectedClients());
        gauge("bms.integrated.messages.in", "PUBLISH packets the integrated broker received", s -> s.messagesIn());
        gauge("bms.integrated.messages.out", "PUBLISH packets the integrated broker sent", s -> s.messagesOut());
        gauge("bms.integrated.running", "1 while the integrated broker runs, else 0",
                s -> s.state() == IntegratedBrokerStatus.State.RUNNING ? 1 : 0);
    }

    private void gauge(String name, String description, Function<IntegratedBrokerStatus, Number> value) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE).build(),
                broker, b -> value.apply(b.status()));
        names.add(name);
    }

    @PreDestroy
    void stop() {
        names.forEach(metrics::remove);
    }
}
