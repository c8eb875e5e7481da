package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.type.enumerated.ObjectType;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The BACnet object types a datapoint can be bound to, named as in the BACnet standard (ASHRAE 135: analog-input,
 * multi-state-value, ...). {@link Kind} decides how present values map to datapoint values; outputs and values are
 * commandable (a write carries a priority, a null write relinquishes it), inputs are not.
 */
public enum BacnetObjectType {
    ANALOG_INPUT("analog-input", ObjectType.analogInput, Kind.ANALOG, false),
    ANALOG_OUTPUT("analog-output", ObjectType.analogOutput, Kind.ANALOG, true),
    ANALOG_VALUE("analog-value", ObjectType.analogValue, Kind.ANALOG, true),
    BINARY_INPUT("binary-input", ObjectType.binaryInput, Kind.BINARY, false),
    BINARY_OUTPUT("binary-output", ObjectType.binaryOutput, Kind.BINARY, true),
    BINARY_VALUE("binary-value", ObjectType.binaryValue, Kind.BINARY, true),
    MULTI_STATE_INPUT("multi-state-input", ObjectType.multiStateInput, Kind.MULTI_STATE, false),
    MULTI_STATE_OUTPUT("multi-state-output", ObjectType.multiStateOutput, Kind.MULTI_STATE, true),
    MULTI_STATE_VALUE("multi-state-value", ObjectType.multiStateValue, Kind.MULTI_STATE, true),
    CHARACTERSTRING_VALUE("characterstring-value", ObjectType.characterstringValue, Kind.TEXT, true);

    /** How the present value is encoded: REAL, ENUMERATED (BinaryPV), UNSIGNED (state 1..n), CHARACTER STRING. */
    public enum Kind { ANALOG, BINARY, MULTI_STATE, TEXT }

    private final String text;
    private final ObjectType bacnet;
    private final Kind kind;
    private final boolean commandable;

    BacnetObjectType(String text, ObjectType bacnet, Kind kind, boolean commandable) {
        this.text = text;
        this.bacnet = bacnet;
        this.kind = kind;
        this.commandable = commandable;
    }

    /** The standard's name, e.g. {@code analog-value}. */
    public String text() {
        return text;
    }

    public ObjectType bacnet() {
        return bacnet;
    }

    public Kind kind() {
        return kind;
    }

    public boolean commandable() {
        return commandable;
    }

    /**
     * Accepts the standard's name ({@code analog-value}), the enum name ({@code ANALOG_VALUE}) or BACnet4J's
     * ({@code analogValue}), any case.
     */
    public static BacnetObjectType parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(field, "an object type is required, one of " + names());
        }
        String key = normalize(value);
        for (BacnetObjectType t : values()) {
            if (normalize(t.text).equals(key)) {
                return t;
            }
        }
        throw new InvalidValueException(field, "unsupported object type '" + clip(value) + "', use one of " + names());
    }

    /** The supported type of a BACnet4J object type, or null. */
    public static BacnetObjectType of(ObjectType type) {
        for (BacnetObjectType t : values()) {
            if (t.bacnet.equals(type)) {
                return t;
            }
        }
        return null;
    }

    static String normalize(String value) {
        return value.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String names() {
        return Arrays.stream(values()).map(BacnetObjectType::text).collect(Collectors.joining(", "));
    }

    static String clip(String t) {
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
