package org.bmsmqtt.ra.testing;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain Paho client that subscribes one filter at QoS 1 and keeps what arrives, as a consumer like Home Assistant would. */
public final class Watcher implements AutoCloseable {

    /** One message seen: topic, payload as text, whether it came as a retained message. */
    public record Seen(String topic, String payload, boolean retained) {
    }

    private final MqttClient client;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public Watcher(String uri, String filter) {
        try {
            client = new MqttClient(uri, Specs.clientId("watch"), new MemoryPersistence());
            client.setCallback(new QuietCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    seen.add(new Seen(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.isRetained()));
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setConnectionTimeout(5);
            client.connect(options);
            client.subscribe(filter, 1);
        } catch (MqttException e) {
            throw new IllegalStateException("watcher cannot subscribe " + filter + " on " + uri + ": " + e.getMessage(), e);
        }
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The payloads seen on {@code topic}, in order. */
    public List<String> payloads(String topic) {
        return seen.stream().filter(s -> s.topic().equals(topic)).map(Seen::payload).toList();
    }

    /** Waits (bounded) until the last payload seen on {@code topic} is {@code payload}. */
    public boolean awaitLast(String topic, String payload, Duration timeout) {
        return Specs.eventually(timeout, () -> {
            List<String> p = payloads(topic);
            return !p.isEmpty() && p.get(p.size() - 1).equals(payload);
        });
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
