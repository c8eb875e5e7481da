package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.integrated.IntegratedBroker;
import org.bmsmqtt.bms.integrated.IntegratedBrokerStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code integrated-broker}: DOWN when it should run and cannot (a taken port, a bad keystore), with the
 * reason, and while its start at boot is under way (STARTING); UP when it runs, and when it is stopped on purpose
 * (start at boot off, or stopped through the API).
 */
@Readiness
@ApplicationScoped
public class IntegratedBrokerCheck implements HealthCheck {

    @Inject
    IntegratedBroker broker;

    @Override
    public HealthCheckResponse call() {
        IntegratedBrokerStatus s = broker.status();
        return HealthCheckResponse.named("integrated-broker")
                .status(s.state() != IntegratedBrokerStatus.State.FAILED
                        && s.state() != IntegratedBrokerStatus.State.STARTING)
                .withData("state", s.state().name())
                .withData("reason", s.reason())
                .withData("port", s.port())
                .withData("connectedClients", s.connectedClients())
                .build();
    }
}
