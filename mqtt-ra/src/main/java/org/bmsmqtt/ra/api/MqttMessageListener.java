package org.bmsmqtt.ra.api;

/**
 * The message listener interface of MQTT message-driven beans. Messages of one topic arrive in order, one at a
 * time; messages of different topics may arrive in parallel. A QoS 1 message is acknowledged to the broker only
 * after this method returned. A method that throws is called again (with back-off) a few times before the message
 * is counted as undeliverable.
 */
public interface MqttMessageListener {

    void onMessage(MqttMessage message);
}
