package org.bmsmqtt.ra.api;

import java.io.Serializable;

/**
 * A session's birth and last will (the availability convention of Home Assistant, openHAB and MQTT devices): after
 * every connect the session publishes {@code online} on {@code topic}; the broker publishes {@code offline} there when
 * the connection dies without a DISCONNECT (the will); a clean close publishes {@code offline} itself (a normal
 * DISCONNECT discards the will). Both at QoS 1 and retained, so a consumer that subscribes later knows at once.
 *
 * @param topic   where; empty: no birth and no will ({@link #OFF})
 * @param online  the birth payload
 * @param offline the will payload
 */
public record Availability(String topic, String online, String offline) implements Serializable {

    public static final Availability OFF = new Availability("", "", "");
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    public Availability {
        topic = topic == null ? "" : topic;
        online = online == null ? "" : online;
        offline = offline == null ? "" : offline;
        if (!topic.isEmpty()) {
            if (topic.contains("+") || topic.contains("#")) {
                throw new IllegalArgumentException("availabilityTopic: wildcards are not allowed: " + topic);
            }
            if (online.isEmpty() || offline.isEmpty()) {
                throw new IllegalArgumentException("availabilityTopic: the online and offline payloads must not be empty");
            }
            if (online.equals(offline)) {
                throw new IllegalArgumentException("payloadOffline: must differ from the online payload");
            }
        }
    }

    /** {@code online} / {@code offline} on {@code topic}. */
    public static Availability on(String topic) {
        return new Availability(topic, ONLINE, OFFLINE);
    }

    public boolean enabled() {
        return !topic.isEmpty();
    }
}
