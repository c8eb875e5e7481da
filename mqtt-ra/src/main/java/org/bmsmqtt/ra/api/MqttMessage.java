package org.bmsmqtt.ra.api;

import java.util.Map;

/**
 * One message received from a broker.
 *
 * @param broker         the {@link BrokerSpec#name()} of the session it came in on
 * @param topic          the topic it was published to
 * @param payload        the raw payload (not copied: do not modify)
 * @param qos            0, 1 or 2
 * @param retained       whether the broker delivered it as a retained message
 * @param userProperties MQTT 5 user properties (the last value wins for repeated keys)
 */
public record MqttMessage(String broker, String topic, byte[] payload, int qos, boolean retained,
                          Map<String, String> userProperties) {

    public MqttMessage {
        userProperties = userProperties == null ? Map.of() : Map.copyOf(userProperties);
        payload = payload == null ? new byte[0] : payload;
    }

    public String payloadAsString() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "MqttMessage[broker=" + broker + ", topic=" + topic + ", qos=" + qos + ", retained=" + retained
                + ", bytes=" + payload.length + "]";
    }
}
