package org.bmsmqtt.web.bacnet;

import org.bmsmqtt.bms.bacnet.BacnetNetworkConfig;
import org.bmsmqtt.bms.bacnet.BacnetNetworkSettings;

/**
 * The BACnet/IP network as the API shows and takes it; {@code port} 47808 and {@code enabled} true by default;
 * {@code bbmdAddress} (empty: none), {@code bbmdPort} (47808) and {@code foreignTtlSeconds} (300) for foreign-device
 * registration.
 */
public record BacnetNetworkDto(Integer deviceInstance, String deviceName, Integer port, String bindAddress,
                               String broadcastAddress, Boolean enabled, String bbmdAddress, Integer bbmdPort,
                               Integer foreignTtlSeconds, Long version) {

    static BacnetNetworkDto of(BacnetNetworkConfig c) {
        BacnetNetworkSettings s = c.settings();
        return new BacnetNetworkDto(s.deviceInstance(), s.deviceName(), s.port(), s.bindAddress(),
                s.broadcastAddress(), s.enabled(), s.bbmdAddress(), s.bbmdPort(), s.foreignTtlSeconds(),
                c.getVersion());
    }

    BacnetNetworkSettings settings() {
        return BacnetNetworkSettings.of(deviceInstance, deviceName, port, bindAddress, broadcastAddress, enabled,
                bbmdAddress, bbmdPort, foreignTtlSeconds);
    }
}
