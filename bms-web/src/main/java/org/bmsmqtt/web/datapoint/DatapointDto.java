package org.bmsmqtt.web.datapoint;

import org.bmsmqtt.bms.datapoint.AccessMode;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.datapoint.DatapointSettings;

import java.util.List;

/** A datapoint's configuration as the API shows and takes it ({@code options}: STRING datapoints only). */
public record DatapointDto(Long id, String name, String path, DataType dataType, AccessMode accessMode,
                           Boolean persistent, Boolean historical, Boolean backupSync, String unit, String description,
                           List<String> options, Long version) {

    static DatapointDto of(Datapoint d) {
        DatapointSettings s = d.settings();
        return new DatapointDto(d.getId(), s.name(), s.path(), s.dataType(), s.accessMode(), s.persistent(),
                s.historical(), s.backupSync(), s.unit(), s.description(), s.options(), d.getVersion());
    }

    DatapointSettings settings() {
        return new DatapointSettings(name, path, dataType, accessMode, persistent == null || persistent,
                Boolean.TRUE.equals(historical), Boolean.TRUE.equals(backupSync), unit, description, options);
    }
}
