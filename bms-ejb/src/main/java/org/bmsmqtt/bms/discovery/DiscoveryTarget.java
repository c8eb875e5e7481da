package org.bmsmqtt.bms.discovery;

/**
 * One broker as discovery sees it: where the configs go and which availability topic the entities follow.
 *
 * @param serverId            this server's id ({@code bms.server-id}): part of topics, unique ids and device ids
 * @param prefix              Home Assistant's discovery prefix ({@code homeassistant})
 * @param availabilityTopic   the broker session's availability topic; empty when availability is off
 * @param payloadAvailable    its online payload
 * @param payloadNotAvailable its offline payload
 */
public record DiscoveryTarget(String serverId, String prefix, String availabilityTopic, String payloadAvailable,
                              String payloadNotAvailable) {

    public DiscoveryTarget {
        availabilityTopic = availabilityTopic == null ? "" : availabilityTopic;
    }
}
