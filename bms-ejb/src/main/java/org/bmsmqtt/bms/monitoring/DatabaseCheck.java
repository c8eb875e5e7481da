package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness {@code database}: the last background probe of {@link DatabaseProbe} (never waits for the database). */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

    @Inject
    DatabaseProbe probe;

    @Override
    public HealthCheckResponse call() {
        DatabaseProbe.Outcome o = probe.outcome();
        return HealthCheckResponse.named("database").status(o.up())
                .withData(o.up() ? "database" : "error", o.detail())
                .withData("checkedAt", o.at().toString())
                .build();
    }
}
