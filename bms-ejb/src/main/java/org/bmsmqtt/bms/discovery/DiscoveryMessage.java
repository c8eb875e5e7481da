package org.bmsmqtt.bms.discovery;

/** A retained config message: {@code payload} empty removes the entity from Home Assistant. */
public record DiscoveryMessage(String topic, String payload) {

    public static DiscoveryMessage removal(String topic) {
        return new DiscoveryMessage(topic, "");
    }

    public boolean isRemoval() {
        return payload.isEmpty();
    }
}
