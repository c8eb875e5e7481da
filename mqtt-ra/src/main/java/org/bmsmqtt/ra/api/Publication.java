package org.bmsmqtt.ra.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One message to publish, with the MQTT 5 properties an application may set.
 *
 * @param topic                the topic (no wildcards)
 * @param payload              the payload bytes
 * @param qos                  0, 1 or 2
 * @param retained             whether the broker keeps it as the topic's retained message
 * @param userProperties       MQTT 5 user properties to send along
 * @param contentType          MIME type of the payload; empty for none
 * @param messageExpirySeconds 0 for none; also bounds how long it may wait in the buffer while disconnected
 * @param responseTopic        empty for none
 * @param correlationData      empty for none
 */
public record Publication(String topic, byte[] payload, int qos, boolean retained, Map<String, String> userProperties,
                          String contentType, long messageExpirySeconds, String responseTopic,
                          byte[] correlationData) {

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
        if (messageExpirySeconds < 0 || messageExpirySeconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("messageExpirySeconds: must be 0..4294967295, was " + messageExpirySeconds);
        }
        if (responseTopic != null && (responseTopic.contains("+") || responseTopic.contains("#"))) {
            throw new IllegalArgumentException("responseTopic: wildcards are not allowed: " + responseTopic);
        }
        payload = payload == null ? new byte[0] : payload;
        userProperties = userProperties == null ? Map.of() : Map.copyOf(userProperties);
        contentType = contentType == null ? "" : contentType;
        responseTopic = responseTopic == null ? "" : responseTopic;
        correlationData = correlationData == null ? new byte[0] : correlationData;
    }

    public Publication(String topic, byte[] payload, int qos, boolean retained, Map<String, String> userProperties) {
        this(topic, payload, qos, retained, userProperties, "", 0, "", new byte[0]);
    }

    public static Publication of(String topic, String payload, int qos, boolean retained) {
        return new Publication(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained, Map.of());
    }

    public Publication withUserProperties(Map<String, String> properties) {
        return new Publication(topic, payload, qos, retained, properties, contentType, messageExpirySeconds,
                responseTopic, correlationData);
    }

    public Publication withMessageExpiry(long seconds) {
        return new Publication(topic, payload, qos, retained, userProperties, contentType, seconds, responseTopic,
                correlationData);
    }

    public Publication withContentType(String type) {
        return new Publication(topic, payload, qos, retained, userProperties, type, messageExpirySeconds,
                responseTopic, correlationData);
    }

    public Publication withResponse(String topicForResponse, byte[] correlation) {
        return new Publication(topic, payload, qos, retained, userProperties, contentType, messageExpirySeconds,
                topicForResponse, correlation);
    }
}
