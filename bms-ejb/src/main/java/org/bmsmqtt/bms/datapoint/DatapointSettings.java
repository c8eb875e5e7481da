package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A datapoint as an integrator configures it. The path places it in the item tree and is unique. {@code options}: the
 * only values a STRING datapoint takes (a mode, a scene: Home Assistant shows it as a select); empty: any value.
 */
public record DatapointSettings(String name, String path, DataType dataType, AccessMode accessMode, boolean persistent,
                                boolean historical, boolean backupSync, String unit, String description,
                                List<String> options) {

    public static final int MAX_OPTIONS = 100;
    public static final int MAX_OPTION_LENGTH = 100;

    public DatapointSettings(String name, String path, DataType dataType, AccessMode accessMode, boolean persistent,
                             boolean historical, boolean backupSync, String unit, String description) {
        this(name, path, dataType, accessMode, persistent, historical, backupSync, unit, description, List.of());
    }

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
        options = options(options, dataType);
    }

    private static List<String> options(List<String> options, DataType type) {
        if (options == null || options.isEmpty()) {
            return List.of();
        }
        if (type != DataType.STRING) {
            throw new InvalidValueException("options", "only a STRING datapoint has options, not a " + type);
        }
        if (options.size() > MAX_OPTIONS) {
            throw new InvalidValueException("options", "at most " + MAX_OPTIONS + " options");
        }
        Set<String> seen = new HashSet<>();
        for (String o : options) {
            if (o == null || o.isEmpty() || o.length() > MAX_OPTION_LENGTH || o.contains("\n") || o.contains("\r")) {
                throw new InvalidValueException("options", "each option 1-" + MAX_OPTION_LENGTH
                        + " characters on one line: " + o);
            }
            if (!seen.add(o)) {
                throw new InvalidValueException("options", "'" + o + "' is listed twice");
            }
        }
        return List.copyOf(options);
    }

    /** Whether {@code value} is one this datapoint takes: any for a datapoint without options. */
    public static void requireOption(List<String> options, String value, String field) {
        if (!options.isEmpty() && !options.contains(value)) {
            throw new InvalidValueException(field, "'" + value + "' is not one of the options " + options);
        }
    }

    /** The options as one column: one per line. */
    public static String optionsColumn(List<String> options) {
        return String.join("\n", options);
    }

    public static List<String> optionsFromColumn(String column) {
        return column == null || column.isEmpty() ? List.of() : List.of(column.split("\n", -1));
    }

    public static DatapointSettings virtual(String name, DataType type) {
        return new DatapointSettings(name, name, type, AccessMode.READ_WRITE, true, false, false, "", "");
    }
}
