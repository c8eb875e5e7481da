package org.bmsmqtt.ra.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * The message listener interface of MQTT message-driven beans. Messages of one topic arrive in order, one at a
 * time; messages of different topics may arrive in parallel. A QoS 1 message is acknowledged to the broker only
 * after this method returned. A method that throws is called again (with back-off) a few times before the message
 * is counted as undeliverable.
 */
public interface MqttMessageListener {

    void onMessage(MqttMessage message);

    /**
     * Several messages of one delivery lane that were waiting together, in order: one container invocation for all of
     * them instead of one each. The default hands them to {@link #onMessage} one by one. When it throws, the adapter
     * delivers the batch again one message at a time with the usual retries, so a message handled before the failure
     * may arrive twice (at-least-once, as after a reconnect).
     */
    default void onMessages(List<MqttMessage> messages) {
        for (MqttMessage m : messages) {
            onMessage(m);
        }
    }

    /**
     * Optional: a function that takes this endpoint's messages without a container invocation each; null (the
     * default) sends every message through {@link #onMessage}. The adapter asks once per endpoint, through the
     * container, then calls the function on its own threads instead of {@code onMessage} and {@code onMessages},
     * one message and one call at a time per endpoint, in the same order and with the same acknowledgement and retry
     * rules, with the thread's context class loader set to the function's. Only for a listener whose work needs
     * nothing from the container per message: no transaction, security identity, request scope or interceptor (the
     * relay benchmark's profile put the container's share of a relayed message at about a fifth of its CPU). System
     * property {@code org.bmsmqtt.ra.directPath=false} makes the adapter ignore it.
     */
    default Consumer<MqttMessage> directPath() {
        return null;
    }
}
