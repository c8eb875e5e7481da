package org.bmsmqtt.ra.testing;

import org.bmsmqtt.ra.inbound.MqttActivationSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Small helpers for adapter tests. */
public final class Specs {

    private Specs() {
    }

    public static Path workDir() {
        return Path.of("target", "test-brokers").toAbsolutePath();
    }

    public static String clientId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A static-mode activation on {@code uri} subscribing {@code filters} with QoS 1, reconnecting every second. */
    public static MqttActivationSpec activation(String uri, String filters) {
        MqttActivationSpec spec = new MqttActivationSpec();
        spec.setServerUri(uri);
        spec.setClientId(clientId("ra"));
        spec.setTopicFilters(filters);
        spec.setQos(1);
        spec.setReconnectIntervalSeconds(1);
        return spec;
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    public static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
