package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.history.HistoryWriter;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness {@code engine}: the datapoint engine answers and the write-behind still runs. Brokers and the database
 * are readiness matters: a restart does not bring them back.
 */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {

    @Inject
    DatapointEngine engine;
    @Inject
    HistoryWriter history;

    @Override
    public HealthCheckResponse call() {
        DatapointEngine.Counters c = engine.counters();
        return HealthCheckResponse.named("engine").status(history.running())
                .withData("messages", c.messages())
                .withData("accepted", c.accepted())
                .withData("writeBehind", history.running() ? "running" : "stopped")
                .build();
    }
}
