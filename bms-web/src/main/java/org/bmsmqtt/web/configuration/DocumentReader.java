package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.broker.BrokerSettings;
import org.bmsmqtt.bms.configuration.BacnetSection;
import org.bmsmqtt.bms.configuration.ConfigurationImport;
import org.bmsmqtt.bms.configuration.IntegratedBrokerSection;
import org.bmsmqtt.bms.integrated.BrokerUserSettings;
import org.bmsmqtt.bms.configuration.KnxSection;
import org.bmsmqtt.bms.knx.KnxConnectionSettings;
import org.bmsmqtt.bms.shared.BusinessException;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns the document into validated settings, entry by entry; a failure names the entry and its field, e.g.
 * {@code datapoints[12].bindings[0].commandTopic}.
 */
final class DocumentReader {

    private DocumentReader() {
    }

    static ConfigurationImport read(ConfigurationDocument doc, boolean replace) {
        if (doc == null) {
            throw new InvalidValueException("body", "a configuration document is required");
        }
        if (doc.formatVersion() != null && doc.formatVersion() != ConfigurationDocument.FORMAT_VERSION) {
            throw new InvalidValueException("formatVersion", "this server reads format version "
                    + ConfigurationDocument.FORMAT_VERSION + ", not " + doc.formatVersion());
        }
        List<BrokerSettings> brokers = new ArrayList<>();
        List<BrokerEntry> brokerEntries = doc.brokers() == null ? List.of() : doc.brokers();
        for (int i = 0; i < brokerEntries.size(); i++) {
            BrokerEntry e = brokerEntries.get(i);
            brokers.add(at("brokers[" + i + "]", () -> required(e).settings()));
        }
        List<ConfigurationImport.DatapointEntry> datapoints = new ArrayList<>();
        List<DatapointEntry> dpEntries = doc.datapoints() == null ? List.of() : doc.datapoints();
        for (int i = 0; i < dpEntries.size(); i++) {
            DatapointEntry e = dpEntries.get(i);
            String at = "datapoints[" + i + "]";
            var settings = at(at, () -> required(e).settings());
            List<BindingEntry> bindingEntries = e.bindings() == null ? List.of() : e.bindings();
            List<ConfigurationImport.BindingEntry> bindings = new ArrayList<>();
            for (int j = 0; j < bindingEntries.size(); j++) {
                BindingEntry b = bindingEntries.get(j);
                bindings.add(at(at + ".bindings[" + j + "]",
                        () -> new ConfigurationImport.BindingEntry(required(b).broker(), b.settings())));
            }
            datapoints.add(new ConfigurationImport.DatapointEntry(settings, bindings));
        }
        return new ConfigurationImport(brokers, datapoints, replace, knx(doc.knx()), bacnet(doc.bacnet()),
                integratedBroker(doc.integratedBroker()));
    }

    /** The KNX part, entry by entry ({@code knx.connections[0].host}, {@code knx.bindings[3].dpt}); absent: untouched. */
    private static KnxSection knx(KnxEntries knx) {
        if (knx == null) {
            return KnxSection.ABSENT;
        }
        List<KnxEntries.Connection> cs = knx.connections() == null ? List.of() : knx.connections();
        List<KnxEntries.Binding> bs = knx.bindings() == null ? List.of() : knx.bindings();
        List<KnxConnectionSettings> connections = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            KnxEntries.Connection c = cs.get(i);
            connections.add(at("knx.connections[" + i + "]", () -> required(c).settings()));
        }
        List<KnxSection.Binding> bindings = new ArrayList<>();
        for (int j = 0; j < bs.size(); j++) {
            KnxEntries.Binding b = bs.get(j);
            bindings.add(at("knx.bindings[" + j + "]", () -> required(b).entry()));
        }
        return new KnxSection(true, connections, bindings);
    }

    /** The BACnet part ({@code bacnet.network.port}, {@code bacnet.bindings[3].writePriority}); absent: untouched. */
    private static BacnetSection bacnet(BacnetEntries bacnet) {
        if (bacnet == null) {
            return BacnetSection.ABSENT;
        }
        var network = bacnet.network() == null ? null : at("bacnet.network", () -> bacnet.network().settings());
        List<BacnetEntries.Binding> bs = bacnet.bindings() == null ? List.of() : bacnet.bindings();
        List<BacnetSection.Binding> bindings = new ArrayList<>();
        for (int j = 0; j < bs.size(); j++) {
            BacnetEntries.Binding b = bs.get(j);
            bindings.add(at("bacnet.bindings[" + j + "]", () -> required(b).entry()));
        }
        return new BacnetSection(true, network, bindings);
    }

    /** The integrated broker's part ({@code integratedBroker.settings.port}, {@code integratedBroker.users[2].publish[0]}). */
    private static IntegratedBrokerSection integratedBroker(IntegratedBrokerEntries broker) {
        if (broker == null) {
            return IntegratedBrokerSection.ABSENT;
        }
        var settings = broker.settings() == null ? null : at("integratedBroker.settings", () -> broker.settings().settings());
        List<BrokerUserSettings> users = null;
        if (broker.users() != null) {
            users = new ArrayList<>();
            for (int i = 0; i < broker.users().size(); i++) {
                var u = broker.users().get(i);
                users.add(at("integratedBroker.users[" + i + "]", () -> required(u).settings()));
            }
        }
        return new IntegratedBrokerSection(true, settings, false, users);
    }

    private static <T> T required(T entry) {
        if (entry == null) {
            throw new InvalidValueException("", "an object is required, not null");
        }
        return entry;
    }

    private static <T> T at(String entry, Supplier<T> build) {
        try {
            return build.get();
        } catch (BusinessException e) {
            String field = e.field().isEmpty() ? entry : entry + "." + e.field();
            throw new InvalidValueException(field, field + ": " + e.getMessage());
        }
    }
}
