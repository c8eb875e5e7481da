package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.cluster.ClusterRole;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code cluster}: this member's role and the main. UP for a main and for a backup alike (both answer the
 * API); DOWN while clustering is on and the lease cannot be read (the database is away: the role is not known).
 */
@Readiness
@ApplicationScoped
public class ClusterCheck implements HealthCheck {

    @Inject
    ClusterRole cluster;

    @Override
    public HealthCheckResponse call() {
        ClusterRole.Status s = cluster.status();
        return HealthCheckResponse.named("cluster")
                .status(s.error().isEmpty())
                .withData("enabled", s.enabled())
                .withData("member", s.member())
                .withData("role", s.role())
                .withData("main", s.main())
                .withData("reason", s.error().isEmpty() ? s.lastChange() : s.error())
                .build();
    }
}
