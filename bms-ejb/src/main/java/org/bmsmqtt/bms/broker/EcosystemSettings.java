package org.bmsmqtt.bms.broker;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.ra.api.Availability;

/**
 * How a broker meets the MQTT tools people pair a BMS with (Home Assistant, openHAB, Node-RED, mosquitto_sub).
 * <ul>
 * <li>Availability (on by default): {@code payloadOnline} as the session's birth and {@code payloadOffline} as its
 *     last will (and on a clean shutdown), retained, on {@code availabilityTopic}; empty topic: {@code <path>/status}
 *     (or {@code bms/<name>/status} for a broker without a path), so it follows the broker's path.</li>
 * <li>Home Assistant MQTT discovery (off by default: it creates entities in someone's Home Assistant): a retained
 *     config message per datapoint bound on this broker under {@code discoveryPrefix} (default {@code homeassistant}).</li>
 * </ul>
 */
public record EcosystemSettings(boolean availability, String availabilityTopic, String payloadOnline,
                                String payloadOffline, boolean discovery, String discoveryPrefix) {

    public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
    public static final EcosystemSettings DEFAULT = new EcosystemSettings(true, "", null, null, false, null);

    public EcosystemSettings {
        availabilityTopic = topic(availabilityTopic, "availabilityTopic");
        payloadOnline = payload(payloadOnline, Availability.ONLINE, "payloadOnline");
        payloadOffline = payload(payloadOffline, Availability.OFFLINE, "payloadOffline");
        if (payloadOnline.equals(payloadOffline)) {
            throw new InvalidValueException("payloadOffline", "must differ from payloadOnline");
        }
        discoveryPrefix = discoveryPrefix == null || discoveryPrefix.isBlank() ? DEFAULT_DISCOVERY_PREFIX
                : topic(discoveryPrefix, "discoveryPrefix");
        if (discoveryPrefix.startsWith("/") || discoveryPrefix.endsWith("/")) {
            throw new InvalidValueException("discoveryPrefix", "no leading or trailing '/': " + discoveryPrefix);
        }
    }

    /** The topic the session's availability goes to, for a broker with this path and name. */
    public String availabilityTopicFor(String path, String name) {
        if (!availabilityTopic.isEmpty()) {
            return availabilityTopic;
        }
        String base = path == null || path.isBlank() ? "bms/" + name : path;
        base = base.startsWith("/") ? base.substring(1) : base;
        return (base.endsWith("/") ? base : base + "/") + "status";
    }

    /** What the adapter's session gets: {@link Availability#OFF} when switched off. */
    public Availability sessionAvailability(String path, String name) {
        return availability ? new Availability(availabilityTopicFor(path, name), payloadOnline, payloadOffline)
                : Availability.OFF;
    }

    private static String topic(String value, String field) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String v = value.trim();
        if (v.length() > 400) {
            throw new InvalidValueException(field, "at most 400 characters");
        }
        if (v.contains("+") || v.contains("#") || v.contains("\u0000")) {
            throw new InvalidValueException(field, "a topic without wildcards: " + v);
        }
        return v;
    }

    private static String payload(String value, String fallback, String field) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (value.length() > 100) {
            throw new InvalidValueException(field, "at most 100 characters");
        }
        return value;
    }
}
