package org.bmsmqtt.bms.bacnet;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.regex.Pattern;

/**
 * The BACnet/IP network as an integrator sets it. Addresses are IPv4 literals (no name lookups). The broadcast
 * address has no default on purpose: BACnet4J's own (255.255.255.255) leaves the machine; the integrator names the
 * subnet's broadcast (e.g. 192.168.1.255, or 127.255.255.255 on loopback). {@code bbmdAddress} (empty: none) makes the
 * server a foreign device of that BBMD ({@code bbmdPort}), registered for {@code foreignTtlSeconds} and renewed: for a
 * server on another subnet than its devices.
 */
public record BacnetNetworkSettings(int deviceInstance, String deviceName, int port, String bindAddress,
                                    String broadcastAddress, boolean enabled, String bbmdAddress, int bbmdPort,
                                    int foreignTtlSeconds) {

    public static final int DEFAULT_PORT = 47808; // 0xBAC0
    public static final int DEFAULT_FOREIGN_TTL_SECONDS = 300;

    /** Without a BBMD. */
    public BacnetNetworkSettings(int deviceInstance, String deviceName, int port, String bindAddress,
                                 String broadcastAddress, boolean enabled) {
        this(deviceInstance, deviceName, port, bindAddress, broadcastAddress, enabled, "", DEFAULT_PORT,
                DEFAULT_FOREIGN_TTL_SECONDS);
    }
    public static final String WILDCARD = "0.0.0.0";
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    public BacnetNetworkSettings {
        BacnetBindingSettings.checkInstance(deviceInstance, "deviceInstance");
        deviceName = deviceName == null ? "" : deviceName.trim();
        if (deviceName.isEmpty() || deviceName.length() > 150) {
            throw new InvalidValueException("deviceName", "1 to 150 characters");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("port", "must be 1..65535, was " + port);
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? WILDCARD : bindAddress.trim();
        if (!IPV4.matcher(bindAddress).matches()) {
            throw new InvalidValueException("bindAddress", "an IPv4 address, e.g. 192.168.1.10 or 0.0.0.0: "
                    + BacnetObjectType.clip(bindAddress));
        }
        broadcastAddress = broadcastAddress == null ? "" : broadcastAddress.trim();
        if (!IPV4.matcher(broadcastAddress).matches()) {
            throw new InvalidValueException("broadcastAddress", "the subnet's IPv4 broadcast address is required, "
                    + "e.g. 192.168.1.255");
        }
        bbmdAddress = bbmdAddress == null ? "" : bbmdAddress.trim();
        if (!bbmdAddress.isEmpty() && !IPV4.matcher(bbmdAddress).matches()) {
            throw new InvalidValueException("bbmdAddress", "the BBMD's IPv4 address, or empty for none: "
                    + BacnetObjectType.clip(bbmdAddress));
        }
        if (bbmdPort < 1 || bbmdPort > 65535) {
            throw new InvalidValueException("bbmdPort", "must be 1..65535, was " + bbmdPort);
        }
        if (foreignTtlSeconds < 30 || foreignTtlSeconds > 65535) {
            throw new InvalidValueException("foreignTtlSeconds", "must be 30..65535, was " + foreignTtlSeconds);
        }
    }

    /** The BBMD to register with, null when none. */
    public java.net.InetSocketAddress bbmd() {
        return bbmdAddress.isEmpty() ? null : new java.net.InetSocketAddress(bbmdAddress, bbmdPort);
    }

    /** Builds from API input without a BBMD. */
    public static BacnetNetworkSettings of(Integer deviceInstance, String deviceName, Integer port, String bindAddress,
                                           String broadcastAddress, Boolean enabled) {
        return of(deviceInstance, deviceName, port, bindAddress, broadcastAddress, enabled, null, null, null);
    }

    /** Builds from API input: null numbers take the defaults (ports 47808, enabled, TTL 300 s). */
    public static BacnetNetworkSettings of(Integer deviceInstance, String deviceName, Integer port, String bindAddress,
                                           String broadcastAddress, Boolean enabled, String bbmdAddress,
                                           Integer bbmdPort, Integer foreignTtlSeconds) {
        if (deviceInstance == null) {
            throw new InvalidValueException("deviceInstance", "a device instance is required");
        }
        return new BacnetNetworkSettings(deviceInstance, deviceName, port == null ? DEFAULT_PORT : port, bindAddress,
                broadcastAddress, enabled == null || enabled, bbmdAddress, bbmdPort == null ? DEFAULT_PORT : bbmdPort,
                foreignTtlSeconds == null ? DEFAULT_FOREIGN_TTL_SECONDS : foreignTtlSeconds);
    }
}
