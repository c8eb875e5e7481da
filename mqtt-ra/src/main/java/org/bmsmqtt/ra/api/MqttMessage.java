package org.bmsmqtt.ra.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One message received from a broker.
 *
 * @param broker          the {@link BrokerSpec#name()} of the session it came in on
 * @param topic           the topic it was published to
 * @param payload         the raw payload (not copied: do not modify)
 * @param qos             0, 1 or 2
 * @param retained        whether the broker delivered it as a retained message
 * @param userProperties  MQTT 5 user properties (the last value wins for repeated keys)
 * @param contentType     the MQTT 5 content type; empty for none
 * @param responseTopic   empty for none
 * @param correlationData empty for none
 */
public record MqttMessage(String broker, String topic, byte[] payload, int qos, boolean retained,
                          Map<String, String> userProperties, String contentType, String responseTopic,
                          byte[] correlationData) {

    public MqttMessage {
        userProperties = userProperties == null ? Map.of() : Map.copyOf(userProperties);
        payload = payload == null ? new byte[0] : payload;
        contentType = contentType == null ? "" : contentType;
        responseTopic = responseTopic == null ? "" : responseTopic;
        correlationData = correlationData == null ? new byte[0] : correlationData;
    }

    public MqttMessage(String broker, String topic, byte[] payload, int qos, boolean retained,
                       Map<String, String> userProperties) {
        this(broker, topic, payload, qos, retained, userProperties, "", "", new byte[0]);
    }

    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "MqttMessage[broker=" + broker + ", topic=" + topic + ", qos=" + qos + ", retained=" + retained
                + ", bytes=" + payload.length + "]";
    }
}
