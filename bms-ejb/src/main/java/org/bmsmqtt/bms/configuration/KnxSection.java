package org.bmsmqtt.bms.configuration;

import org.bmsmqtt.bms.knx.KnxBindingSettings;
import org.bmsmqtt.bms.knx.KnxConnectionSettings;

import java.util.List;

/**
 * The KNX part of the configuration document: connections (matched by name) and KNX bindings, which name their
 * datapoint and connection (ids differ between servers; a binding's connection id is filled in on import).
 * {@code given=false}: the document has no KNX part, and an import leaves KNX as it is.
 */
public record KnxSection(boolean given, List<KnxConnectionSettings> connections, List<Binding> bindings) {

    public static final KnxSection ABSENT = new KnxSection(false, List.of(), List.of());

    /** One KNX binding: its datapoint's and connection's names, and its settings. */
    public record Binding(String datapoint, String connection, KnxBindingSettings settings) {
    }

    public KnxSection {
        connections = List.copyOf(connections);
        bindings = List.copyOf(bindings);
    }
}
