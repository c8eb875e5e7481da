package org.bmsmqtt.it.support;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain Paho v5 client playing the part of a device or an integrator's tool. */
public final class MqttTestClient implements AutoCloseable {

    /** A received message. */
    public record Received(String topic, String payload, int qos, boolean retained, Map<String, String> userProperties) {
    }

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    public MqttTestClient(String serverUri) {
        this(serverUri, null, null);
    }

    /** Logged in as {@code user} (null: anonymous). */
    public MqttTestClient(String serverUri, String user, String password) {
        try {
            client = new MqttClient(serverUri, "it-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            if (user != null) {
                o.setUserName(user);
                o.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
            o.setCleanStart(true);
            o.setConnectionTimeout(10);
            // One callback for every subscription, set before anything arrives. Per-subscription listeners race in
            // Paho 1.2.5: subscribing while messages arrive (retained configs flood in at once) threw a
            // ConcurrentModificationException from its listener map (CommsCallback.deliverMessage) and failed the
            // subscribe with "RC: 0".
            client.setCallback(new org.bmsmqtt.ra.testing.QuietCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    Map<String, String> props = new HashMap<>();
                    List<UserProperty> user = message.getProperties() == null ? null
                            : message.getProperties().getUserProperties();
                    if (user != null) {
                        user.forEach(u -> props.put(u.getKey(), u.getValue()));
                    }
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.getQos(), message.isRetained(), props));
                }
            });
            client.connect(o);
        } catch (MqttException e) {
            throw new IllegalStateException("test client cannot connect to " + serverUri + ": " + e.getMessage(), e);
        }
    }

    public void publish(String topic, String payload, int qos) {
        publish(topic, payload, qos, Map.of());
    }

    public void publish(String topic, String payload, int qos, Map<String, String> userProperties) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        if (!userProperties.isEmpty()) {
            MqttProperties p = new MqttProperties();
            p.setUserProperties(userProperties.entrySet().stream()
                    .map(e -> new UserProperty(e.getKey(), e.getValue())).toList());
            m.setProperties(p);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                client.publish(topic, m);
                return;
            } catch (MqttException e) {
                // a stock mosquitto lets a client have 20 QoS 1/2 publications in flight: wait for one to finish
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() > end) {
                    throw new IllegalStateException("publish to " + topic + " failed: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ie);
                }
            }
        }
    }

    public void publishRetained(String topic, String payload, int qos) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(true);
        try {
            client.publish(topic, m);
        } catch (MqttException e) {
            throw new IllegalStateException("publish to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    public void subscribe(String filter, int qos) {
        try {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
        } catch (MqttException e) {
            throw new IllegalStateException("subscribe to " + filter + " failed: " + e.getMessage(), e);
        }
    }

    /** The next message received, or null when none came within {@code timeout}. */
    public Received next(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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
            // closing a test client: nothing to do
        }
    }
}
