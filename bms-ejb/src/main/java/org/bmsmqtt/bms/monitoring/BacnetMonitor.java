package org.bmsmqtt.bms.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.bacnet.BacnetNetwork;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The BACnet network's figures as gauges, read when scraped: open, devices, bindings, bindings whose device does not
 * answer, and since start-up values by COV and by polling, writes and failed writes.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class BacnetMonitor {

    @Inject
    BacnetNetwork network;
    @Inject
    MetricRegistry metrics;

    private final List<String> names = new ArrayList<>();

    @PostConstruct
    void start() {
        gauge("bms.bacnet.open", "1 while the BACnet/IP network is open, else 0",
                n -> "OPEN".equals(n.status().state()) ? 1 : 0);
        gauge("bms.bacnet.devices", "BACnet devices discovered", n -> n.status().devices());
        gauge("bms.bacnet.bindings", "BACnet bindings", n -> n.status().bindings());
        gauge("bms.bacnet.bindings.unreachable", "BACnet bindings whose device does not answer",
                n -> n.bindingModes().getOrDefault("UNREACHABLE", 0L));
        gauge("bms.bacnet.cov.notifications", "Values taken from BACnet COV notifications since start",
                n -> n.counters().covNotifications());
        gauge("bms.bacnet.polls", "Values read by polling BACnet devices since start", n -> n.counters().polls());
        gauge("bms.bacnet.writes", "Writes (and relinquishes) sent to BACnet devices since start",
                n -> n.counters().writes());
        gauge("bms.bacnet.write.failures", "BACnet writes refused or unanswered since start",
                n -> n.counters().writeFailures());
    }

    private void gauge(String name, String description, ToLongFunction<BacnetNetwork> value) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE).build(),
                network, n -> value.applyAsLong(n));
        names.add(name);
    }

    @PreDestroy
    void stop() {
        names.forEach(metrics::remove);
    }
}
