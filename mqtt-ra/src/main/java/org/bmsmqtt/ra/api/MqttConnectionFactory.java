package org.bmsmqtt.ra.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

import java.io.Serializable;

/** Outbound entry point: a connection to the broker described by a {@link BrokerSpec}, pooled by the server. */
public interface MqttConnectionFactory extends Serializable, Referenceable {

    /**
     * A connection to the session of this broker, opening the session if it is not open yet. Returns at once:
     * the session connects in the background and keeps retrying; see {@link MqttConnection#status()}.
     */
    MqttConnection getConnection(BrokerSpec broker) throws ResourceException;
}
