package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.MqttMessage;

/**
 * Where a session hands received messages. Called on the MQTT client's thread: must return at once and never
 * throw. {@code ack} must be run exactly once when the message has been delivered (or given up on); for QoS 1 and 2
 * the broker is acknowledged only then.
 */
public interface InboundSink {

    void accept(MqttMessage message, Runnable ack);
}
