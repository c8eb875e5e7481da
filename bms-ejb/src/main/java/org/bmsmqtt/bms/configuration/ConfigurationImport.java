package org.bmsmqtt.bms.configuration;

import org.bmsmqtt.bms.broker.BrokerSettings;
import org.bmsmqtt.bms.datapoint.BindingSettings;
import org.bmsmqtt.bms.datapoint.DatapointSettings;

import java.util.List;

/**
 * A whole configuration to import, already validated entry by entry. Brokers and datapoints are matched by name;
 * bindings name their broker. The lists keep the document's order, so a failure can name
 * {@code datapoints[12].bindings[0].broker}.
 *
 * @param replace delete the brokers and datapoints the document does not name (otherwise they stay: merge)
 * @param knx     the KNX part ({@link KnxSection#ABSENT}: KNX stays as it is)
 * @param bacnet  the BACnet part ({@link BacnetSection#ABSENT}: BACnet stays as it is)
 * @param integratedBroker the integrated broker's settings and users ({@link IntegratedBrokerSection#ABSENT}: they stay)
 */
public record ConfigurationImport(List<BrokerSettings> brokers, List<DatapointEntry> datapoints, boolean replace,
                                  KnxSection knx, BacnetSection bacnet,
                                  IntegratedBrokerSection integratedBroker) {

    /** A datapoint and the bindings it gets (its stored ones are replaced). */
    public record DatapointEntry(DatapointSettings settings, List<BindingEntry> bindings) {
        public DatapointEntry {
            bindings = List.copyOf(bindings);
        }
    }

    /** A binding to the broker of that name; the settings' broker id is ignored. */
    public record BindingEntry(String broker, BindingSettings settings) {
    }

    public ConfigurationImport {
        brokers = List.copyOf(brokers);
        datapoints = List.copyOf(datapoints);
    }
}
