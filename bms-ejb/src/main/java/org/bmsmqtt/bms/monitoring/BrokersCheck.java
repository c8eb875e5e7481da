package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/**
 * Readiness {@code brokers}: UP when start-up has loaded the datapoint engine and opened the stored brokers, and every
 * open broker session is connected; data: each broker's state, and while starting what start-up is doing. The portable
 * summary of the per-broker checks {@code broker:<name>}, which only Payara's registry can hold (see
 * {@link PayaraHealthChecks}). From memory: answers while the database is away.
 */
@Readiness
@ApplicationScoped
public class BrokersCheck implements HealthCheck {

    @Inject
    BrokerRegistry registry;

    @Override
    public HealthCheckResponse call() {
        boolean all = true;
        int connected = 0;
        HealthCheckResponseBuilder r = HealthCheckResponse.named("brokers");
        for (Map.Entry<Long, String> b : registry.openBrokers().entrySet()) {
            String state = registry.status(b.getKey()).map(SessionStatus::state).map(SessionState::name).orElse("CLOSED");
            boolean up = SessionState.CONNECTED.name().equals(state);
            all &= up;
            connected += up ? 1 : 0;
            r.withData(BrokerCheck.PREFIX + b.getValue(), state);
        }
        String starting = registry.starting(); // the engine loading, the stored sessions not opened yet
        if (!starting.isEmpty()) {
            r.withData("starting", starting);
        }
        return r.status(all && starting.isEmpty()).withData("connected", connected).build();
    }
}
