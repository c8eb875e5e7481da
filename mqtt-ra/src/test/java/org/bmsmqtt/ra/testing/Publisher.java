package org.bmsmqtt.ra.testing;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain Paho client that publishes synchronously and, when the broker is away, reconnects and publishes the same
 * message again: every message is accepted by the broker at least once (bounded by {@code patience}).
 */
public final class Publisher implements AutoCloseable {

    private final MqttClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final Duration patience;

    public Publisher(String uri, Duration patience) {
        this.patience = patience;
        try {
            client = new MqttClient(uri, Specs.clientId("pub"), new MemoryPersistence());
            options.setCleanStart(true);
            options.setConnectionTimeout(5);
            client.connect(options);
        } catch (MqttException e) {
            throw new IllegalStateException("publisher cannot connect to " + uri + ": " + e.getMessage(), e);
        }
    }

    public void publish(String topic, String payload, int qos) {
        long end = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                if (!client.isConnected()) {
                    client.connect(options);
                }
                MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                m.setQos(qos);
                client.publish(topic, m);
                return;
            } catch (MqttException e) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // closing a test client
        }
    }
}
