package org.bmsmqtt.bms.monitoring;

import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.function.Supplier;

/** Readiness of one broker session, named {@code broker:<name>}: UP when connected, else DOWN with state and reason. */
final class BrokerCheck implements HealthCheck {

    static final String PREFIX = "broker:";

    private final long brokerId;
    private final String name;
    private final Supplier<SessionStatus> status;

    BrokerCheck(long brokerId, String name, Supplier<SessionStatus> status) {
        this.brokerId = brokerId;
        this.name = name;
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        SessionStatus s = status.get();
        return HealthCheckResponse.named(PREFIX + name)
                .status(s.state() == SessionState.CONNECTED)
                .withData("brokerId", brokerId)
                .withData("state", s.state().name())
                .withData("reason", s.reason() == null ? "" : s.reason())
                .withData("since", String.valueOf(s.since()))
                .build();
    }
}
