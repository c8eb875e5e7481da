package org.bmsmqtt.bms.bacnet;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.regex.Pattern;

/**
 * The BACnet/IP network as an integrator sets it. Addresses are IPv4 literals (no name lookups). The broadcast
 * address has no default on purpose: BACnet4J's own (255.255.255.255) leaves the machine; the integrator names the
 * subnet's broadcast (e.g. 192.168.1.255, or 127.255.255.255 on loopback).
 */
public record BacnetNetworkSettings(int deviceInstance, String deviceName, int port, String bindAddress,
                                    String broadcastAddress, boolean enabled) {

    public static final int DEFAULT_PORT = 47808; // 0xBAC0
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
    }

    /** Builds from API input: null numbers take the defaults (port 47808, enabled). */
    public static BacnetNetworkSettings of(Integer deviceInstance, String deviceName, Integer port, String bindAddress,
                                           String broadcastAddress, Boolean enabled) {
        if (deviceInstance == null) {
            throw new InvalidValueException("deviceInstance", "a device instance is required");
        }
        return new BacnetNetworkSettings(deviceInstance, deviceName, port == null ? DEFAULT_PORT : port, bindAddress,
                broadcastAddress, enabled == null || enabled);
    }
}
