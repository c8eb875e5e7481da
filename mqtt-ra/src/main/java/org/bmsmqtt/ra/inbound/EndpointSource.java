package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.Optional;

/** Which message endpoint receives the next batch of a lane: fixed for an activation, any active one at run time. */
@FunctionalInterface
public interface EndpointSource {

    Optional<MessageEndpointFactory> current();
}
