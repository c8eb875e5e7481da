package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.history.HistoryWriter;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code history-queue}: DOWN while the database refuses the writes (values wait) or while the queue is
 * full (new values are refused). Reads the writer's counters only; never touches the database.
 */
@Readiness
@ApplicationScoped
public class HistoryQueueCheck implements HealthCheck {

    @Inject
    HistoryWriter history;

    @Override
    public HealthCheckResponse call() {
        HistoryWriter.Status s = history.status();
        boolean full = s.depth() >= s.capacity();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("history-queue").status(!s.degraded() && !full)
                .withData("depth", s.depth())
                .withData("capacity", s.capacity())
                .withData("refused", s.refused())
                .withData("written", s.written())
                .withData("degraded", s.degraded());
        if (s.degraded() && s.lastError() != null) {
            r.withData("lastError", s.lastError());
        }
        return r.build();
    }
}
