package org.bmsmqtt.bms.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.bacnet.BacnetNetwork;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code bacnet}: DOWN only when the configured network cannot open (a taken port, an address the machine
 * does not have), with the reason. A device that stops answering does not take the server out of service: it shows
 * in the data as bindings per mode ({@code bindings.UNREACHABLE}) and on the binding's status.
 */
@Readiness
@ApplicationScoped
public class BacnetCheck implements HealthCheck {

    @Inject
    BacnetNetwork network;

    @Override
    public HealthCheckResponse call() {
        BacnetNetwork.Status s = network.status();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("bacnet")
                .status(!"FAILED".equals(s.state()))
                .withData("state", s.state())
                .withData("reason", String.valueOf(s.reason()))
                .withData("devices", s.devices())
                .withData("bindings", s.bindings());
        network.bindingModes().forEach((mode, count) -> b.withData("bindings." + mode, count));
        return b.build();
    }
}
