package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.MqttMessage;

/**
 * Where a session hands received messages. Called on the MQTT client's thread: must return at once and never
 * throw. {@code ack} must be completed exactly once when the message has been delivered, given up on or dropped;
 * for QoS 1 and 2 the broker is acknowledged only then.
 */
public interface InboundSink {

    void accept(MqttMessage message, Acknowledgement ack);

    /** How a message ended. */
    enum Outcome { DELIVERED, UNDELIVERABLE, DROPPED }

    /** Completes the hand-off of one message. */
    @FunctionalInterface
    interface Acknowledgement {
        void complete(Outcome outcome);
    }
}
