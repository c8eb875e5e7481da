package org.bmsmqtt.bms.configuration;

import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.datapoint.BindingSettings;
import org.bmsmqtt.bms.datapoint.Datapoint;

import java.util.List;
import java.util.Map;

/**
 * The stored configuration, read in one transaction: brokers and datapoints by name, and each datapoint's bindings
 * (in the order they were made) with the name of their broker. Secrets stay in the entities, encrypted: whoever
 * shows this must leave them out.
 */
public record ExportedConfiguration(List<Broker> brokers, List<Datapoint> datapoints,
                                    Map<Long, List<Binding>> bindingsByDatapoint,
                                    KnxSection knx, BacnetSection bacnet,
                                    IntegratedBrokerSection integratedBroker) {

    /** One binding: its broker's name and its settings. */
    public record Binding(String broker, BindingSettings settings) {
    }

    public List<Binding> bindingsOf(Datapoint d) {
        return bindingsByDatapoint.getOrDefault(d.getId(), List.of());
    }
}
