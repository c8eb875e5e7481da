package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.bacnet.BacnetBindingSettings;
import org.bmsmqtt.bms.bacnet.BacnetNetworkSettings;
import org.bmsmqtt.bms.configuration.BacnetSection;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/**
 * The document's BACnet part: the network (null when none is configured) and BACnet bindings naming their datapoint.
 * Left out of a document: an import leaves BACnet as it is. Fields and defaults as in {@code PUT /bacnet/network}
 * and {@code POST /bacnet/bindings}.
 */
public record BacnetEntries(Network network, List<Binding> bindings) {

    public record Network(Integer deviceInstance, String deviceName, Integer port, String bindAddress,
                          String broadcastAddress, Boolean enabled, String bbmdAddress, Integer bbmdPort,
                          Integer foreignTtlSeconds) {

        static Network of(BacnetNetworkSettings s) {
            return s == null ? null : new Network(s.deviceInstance(), s.deviceName(), s.port(), s.bindAddress(),
                    s.broadcastAddress(), s.enabled(), s.bbmdAddress(), s.bbmdPort(), s.foreignTtlSeconds());
        }

        BacnetNetworkSettings settings() {
            return BacnetNetworkSettings.of(deviceInstance, deviceName, port, bindAddress, broadcastAddress, enabled,
                    bbmdAddress, bbmdPort, foreignTtlSeconds);
        }
    }

    /** A BACnet binding: its datapoint by name. */
    public record Binding(String datapoint, Integer deviceInstance, String objectType, Integer objectInstance,
                          String property, Integer writePriority, Boolean cov, Boolean covConfirmed,
                          Double covIncrement, Integer pollSeconds) {

        static Binding of(BacnetSection.Binding b) {
            BacnetBindingSettings s = b.settings();
            return new Binding(b.datapoint(), s.deviceInstance(), s.objectType().text(), s.objectInstance(),
                    BacnetBindingSettings.propertyText(s.property()), s.writePriority(), s.cov(), s.covConfirmed(),
                    s.covIncrement(), s.pollSeconds());
        }

        BacnetSection.Binding entry() {
            if (datapoint == null || datapoint.isBlank()) {
                throw new InvalidValueException("datapoint", "the name of a datapoint is required");
            }
            return new BacnetSection.Binding(datapoint, BacnetBindingSettings.of(deviceInstance, objectType,
                    objectInstance, property, writePriority, cov, covConfirmed, covIncrement, pollSeconds));
        }
    }

    static BacnetEntries of(BacnetSection s) {
        return new BacnetEntries(Network.of(s.network()), s.bindings().stream().map(Binding::of).toList());
    }
}
