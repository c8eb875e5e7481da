package org.bmsmqtt.bms.configuration;

import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerSettings;
import org.bmsmqtt.bms.configuration.ConfigurationImport.BindingEntry;
import org.bmsmqtt.bms.configuration.ConfigurationImport.DatapointEntry;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks an import needs beyond each entry's own (done when the entry was built): unique names, paths and broker
 * endpoints within the document and against what stays stored, and bindings naming a broker that will exist.
 * Failures name the entry, e.g. {@code datapoints[12].bindings[0].broker}.
 */
final class ImportCheck {

    private ImportCheck() {
    }

    static void check(ConfigurationImport doc, Map<String, Broker> storedBrokers,
                      Map<String, Datapoint> storedDatapoints) {
        Set<String> brokerNames = checkBrokers(doc, storedBrokers);
        checkDatapoints(doc, storedDatapoints, brokerNames);
    }

    private static Set<String> checkBrokers(ConfigurationImport doc, Map<String, Broker> stored) {
        Set<String> names = new HashSet<>();
        Map<String, String> endpoints = new HashMap<>(); // host:port:clientId -> broker name
        if (!doc.replace()) {
            stored.values().forEach(b -> endpoints.put(endpoint(b.getHost(), b.getPort(), b.getClientId()),
                    b.getName()));
            names.addAll(stored.keySet());
        }
        Set<String> seen = new HashSet<>();
        List<BrokerSettings> brokers = doc.brokers();
        for (int i = 0; i < brokers.size(); i++) {
            BrokerSettings s = brokers.get(i);
            if (!seen.add(s.name())) {
                throw new InvalidValueException("brokers[" + i + "].name", "the document names broker '" + s.name()
                        + "' twice");
            }
            names.add(s.name());
            String key = endpoint(s.host(), s.port(), s.clientId());
            String other = endpoints.put(key, s.name());
            if (other != null && !other.equals(s.name())) {
                throw new InvalidValueException("brokers[" + i + "].clientId", "broker '" + other + "' already connects to "
                        + s.host() + ":" + s.port() + " as " + s.clientId());
            }
        }
        return names;
    }

    private static void checkDatapoints(ConfigurationImport doc, Map<String, Datapoint> stored,
                                        Set<String> brokerNames) {
        Set<String> names = new HashSet<>();
        Map<String, String> paths = new HashMap<>(); // path -> datapoint name
        if (!doc.replace()) {
            stored.values().forEach(d -> paths.put(d.getPath(), d.getName()));
        }
        List<DatapointEntry> datapoints = doc.datapoints();
        for (int i = 0; i < datapoints.size(); i++) {
            DatapointEntry e = datapoints.get(i);
            String name = e.settings().name();
            if (!names.add(name)) {
                throw new InvalidValueException("datapoints[" + i + "].name", "the document names datapoint '" + name
                        + "' twice");
            }
            String other = paths.put(e.settings().path(), name);
            if (other != null && !other.equals(name)) {
                throw new InvalidValueException("datapoints[" + i + "].path", "datapoint '" + other + "' has the path "
                        + e.settings().path());
            }
            List<BindingEntry> bindings = e.bindings();
            for (int j = 0; j < bindings.size(); j++) {
                if (!brokerNames.contains(bindings.get(j).broker())) {
                    throw new InvalidValueException("datapoints[" + i + "].bindings[" + j + "].broker",
                            "no broker named '" + bindings.get(j).broker() + "'" + (doc.replace()
                                    ? " in the document (mode=replace keeps only the document's brokers)" : ""));
                }
            }
        }
    }

    private static String endpoint(String host, int port, String clientId) {
        return host + ":" + port + ":" + clientId;
    }
}
