package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.configuration.ExportedConfiguration;
import org.bmsmqtt.bms.datapoint.AccessMode;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.datapoint.DatapointSettings;

import java.util.List;

/** A datapoint in the configuration document, matched by name on import, with all its MQTT bindings. */
public record DatapointEntry(String name, String path, String dataType, String accessMode, Boolean persistent,
                             Boolean historical, Boolean backupSync, String unit, String description,
                             List<String> options, List<BindingEntry> bindings) {

    static DatapointEntry of(Datapoint d, List<ExportedConfiguration.Binding> bindings) {
        DatapointSettings s = d.settings();
        return new DatapointEntry(s.name(), s.path(), s.dataType().name(), s.accessMode().name(), s.persistent(),
                s.historical(), s.backupSync(), s.unit(), s.description(), s.options().isEmpty() ? null : s.options(),
                bindings.stream().map(BindingEntry::of).toList());
    }

    /** The same defaults as {@code POST /datapoints}. */
    DatapointSettings settings() {
        return new DatapointSettings(name, path, Names.parse(DataType.class, dataType, "dataType"),
                Names.parse(AccessMode.class, accessMode, "accessMode"), persistent == null || persistent,
                Boolean.TRUE.equals(historical), Boolean.TRUE.equals(backupSync), unit, description, options);
    }
}
