package org.bmsmqtt.bms.configuration;

import org.bmsmqtt.bms.bacnet.BacnetBindingSettings;
import org.bmsmqtt.bms.bacnet.BacnetNetworkSettings;

import java.util.List;

/**
 * The BACnet part of the configuration document: the network (null when none is configured) and the BACnet bindings,
 * which name their datapoint. {@code given=false}: the document has no BACnet part, and an import leaves BACnet as it
 * is.
 */
public record BacnetSection(boolean given, BacnetNetworkSettings network, List<Binding> bindings) {

    public static final BacnetSection ABSENT = new BacnetSection(false, null, List.of());

    /** One BACnet binding: its datapoint's name and its settings. */
    public record Binding(String datapoint, BacnetBindingSettings settings) {
    }

    public BacnetSection {
        bindings = List.copyOf(bindings);
    }
}
