package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.MqttMessageListener;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The endpoint a {@link DeliveryLane} keeps between messages: created from the current factory when there is none or
 * the factory changed, asked once for its {@link MqttMessageListener#directPath() direct path}, released when the
 * lane drops it. Only the lane's owner calls it (see DeliveryLane), except {@link #isFrom}.
 */
final class LaneEndpoint {

    private static final Logger LOG = Logger.getLogger(LaneEndpoint.class.getName());

    private final DeliveryLanes lanes;
    private MessageEndpoint endpoint;
    private volatile MessageEndpointFactory factory;
    /** The endpoint's direct path, or null: each message through the container. */
    private Consumer<MqttMessage> direct;

    LaneEndpoint(DeliveryLanes lanes) {
        this.lanes = lanes;
    }

    /** True when an endpoint of the current factory is ready (created now if needed); false: none active yet. */
    boolean ready() {
        Optional<MessageEndpointFactory> current = lanes.endpoints.current();
        if (current.isEmpty()) {
            return false;
        }
        if (endpoint == null || current.get() != factory) {
            drop();
            try {
                endpoint = current.get().createEndpoint(null);
                factory = current.get();
                direct = lanes.directPaths ? directPathOf(endpoint) : null;
            } catch (UnavailableException e) {
                LOG.log(Level.FINE, "endpoint unavailable; retrying", e);
                return false;
            }
        }
        return true;
    }

    /** Asked once per endpoint, through the container; when it fails to answer, every message goes through it. */
    private static Consumer<MqttMessage> directPathOf(MessageEndpoint endpoint) {
        try {
            return ((MqttMessageListener) endpoint).directPath();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the endpoint has no direct path; delivering through the container", e);
            return null;
        }
    }

    boolean hasDirectPath() {
        return direct != null;
    }

    /** One message to the ready endpoint, by its direct path when it has one (see MqttMessageListener). */
    void call(MqttMessage message) {
        Consumer<MqttMessage> d = direct;
        if (d == null) {
            ((MqttMessageListener) endpoint).onMessage(message);
            return;
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(d.getClass().getClassLoader());
        try {
            d.accept(message);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Several messages in one container invocation (endpoints without a direct path only). */
    void callBatch(List<MqttMessage> messages) {
        ((MqttMessageListener) endpoint).onMessages(messages);
    }

    boolean isFrom(MessageEndpointFactory f) {
        return factory == f;
    }

    /** Releases the endpoint, if any; the next {@link #ready} creates a new one. */
    void drop() {
        MessageEndpoint e = endpoint;
        endpoint = null;
        factory = null;
        direct = null;
        if (e != null) {
            try {
                e.release();
            } catch (RuntimeException ex) {
                LOG.log(Level.FINE, "releasing an endpoint failed", ex);
            }
        }
    }
}
