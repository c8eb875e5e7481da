package org.bmsmqtt.bms.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.cluster.ClusterRole;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

import java.util.List;

/** The cluster role as gauges: {@code bms_cluster_main} (1 on the main, 0 on a backup) and takeovers since start. */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ClusterMonitor {

    private static final List<String> NAMES = List.of("bms.cluster.main", "bms.cluster.takeovers");

    @Inject
    ClusterRole cluster;
    @Inject
    MetricRegistry metrics;

    @PostConstruct
    void start() {
        metrics.gauge(Metadata.builder().withName(NAMES.get(0)).withDescription("1 while this member is the main "
                + "(always without clustering), 0 on a backup").withUnit(MetricUnits.NONE).build(), cluster,
                c -> c.isMain() ? 1 : 0);
        metrics.gauge(Metadata.builder().withName(NAMES.get(1)).withDescription("times this member took over as main "
                + "since it started").withUnit(MetricUnits.NONE).build(), cluster, ClusterRole::takeovers);
    }

    @PreDestroy
    void stop() {
        NAMES.forEach(metrics::remove);
    }
}
