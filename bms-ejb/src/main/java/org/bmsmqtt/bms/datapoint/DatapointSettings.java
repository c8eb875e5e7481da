package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;

/** A datapoint as an integrator configures it. The path places it in the item tree and is unique. */
public record DatapointSettings(String name, String path, DataType dataType, AccessMode accessMode, boolean persistent,
                                boolean historical, boolean backupSync, String unit, String description) {

    public DatapointSettings {
        if (name == null || name.isBlank() || name.length() > 200 || name.contains("/") || name.contains("+")
                || name.contains("#")) {
            throw new InvalidValueException("name", "1-200 characters without '/', '+' or '#'");
        }
        path = path == null || path.isBlank() ? name : path.trim();
        if (path.length() > 400) {
            throw new InvalidValueException("path", "at most 400 characters");
        }
        if (dataType == null) {
            throw new InvalidValueException("dataType", "one of REAL, INTEGER, BOOLEAN, STRING");
        }
        accessMode = accessMode == null ? AccessMode.READ_WRITE : accessMode;
        unit = unit == null ? "" : unit.trim();
        description = description == null ? "" : description;
        if (unit.length() > 50) {
            throw new InvalidValueException("unit", "at most 50 characters");
        }
        if (description.length() > 1000) {
            throw new InvalidValueException("description", "at most 1000 characters");
        }
    }

    public static DatapointSettings virtual(String name, DataType type) {
        return new DatapointSettings(name, name, type, AccessMode.READ_WRITE, true, false, false, "", "");
    }
}
