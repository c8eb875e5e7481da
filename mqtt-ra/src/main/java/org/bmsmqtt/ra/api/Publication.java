package org.bmsmqtt.ra.api;

import java.util.Map;

/**
 * One message to publish.
 *
 * @param topic          the topic (no wildcards)
 * @param payload        the payload bytes
 * @param qos            0, 1 or 2
 * @param retained       whether the broker keeps it as the topic's retained message
 * @param userProperties MQTT 5 user properties to send along
 */
public record Publication(String topic, byte[] payload, int qos, boolean retained, Map<String, String> userProperties) {

    public Publication {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic: must not be empty");
        }
        if (topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("topic: wildcards are not allowed when publishing: " + topic);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos: must be 0, 1 or 2, was " + qos);
        }
        payload = payload == null ? new byte[0] : payload;
        userProperties = userProperties == null ? Map.of() : Map.copyOf(userProperties);
    }

    public static Publication of(String topic, String payload, int qos, boolean retained) {
        return new Publication(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained, Map.of());
    }

    public Publication withUserProperties(Map<String, String> properties) {
        return new Publication(topic, payload, qos, retained, properties);
    }
}
