package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.enumerated.BinaryPV;
import com.serotonin.bacnet4j.type.primitive.Boolean;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.Double;
import com.serotonin.bacnet4j.type.primitive.Enumerated;
import com.serotonin.bacnet4j.type.primitive.Null;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.SignedInteger;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.ValueCodec;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.EnumSet;
import java.util.Set;

/**
 * BACnet present values to datapoint values (canonical text, as {@link ValueCodec} writes it) and back.
 * <ul>
 * <li>analog (REAL): datapoint REAL, INTEGER (rounded) or STRING;</li>
 * <li>binary (ENUMERATED inactive/active): BOOLEAN, INTEGER 0/1 or STRING;</li>
 * <li>multi-state (UNSIGNED, state 1..n): INTEGER, REAL or STRING (the state number);</li>
 * <li>characterstring-value (CHARACTER STRING): STRING.</li>
 * </ul>
 * A BACnet Null (no value) maps to null; a null or empty command maps to Null, which relinquishes the priority.
 */
public final class BacnetValues {

    private BacnetValues() {
    }

    /** The datapoint types that can hold the present value of this kind of object. */
    public static Set<DataType> compatible(BacnetObjectType.Kind kind) {
        return switch (kind) {
            case ANALOG -> EnumSet.of(DataType.REAL, DataType.INTEGER, DataType.STRING);
            case BINARY -> EnumSet.of(DataType.BOOLEAN, DataType.INTEGER, DataType.STRING);
            case MULTI_STATE -> EnumSet.of(DataType.INTEGER, DataType.REAL, DataType.STRING);
            case TEXT -> EnumSet.of(DataType.STRING);
        };
    }

    /**
     * The canonical datapoint text of a value read from or notified by a device, or null for BACnet Null.
     *
     * @throws InvalidValueException (field {@code value}) when the value cannot be held by the datapoint type
     */
    public static String toDatapoint(Encodable value, DataType type) {
        if (value == null || value instanceof Null) {
            return null;
        }
        if (value instanceof BinaryPV pv) { // before Enumerated: BinaryPV is one
            boolean on = pv.intValue() != 0;
            return switch (type) {
                case BOOLEAN -> java.lang.Boolean.toString(on);
                case INTEGER -> on ? "1" : "0";
                case REAL -> on ? "1.0" : "0.0";
                case STRING -> on ? "active" : "inactive";
            };
        }
        if (value instanceof Boolean b) {
            return ValueCodec.canonical(type, b.booleanValue() ? "1" : "0", "value");
        }
        if (value instanceof Real r) {
            return number(r.floatValue(), type);
        }
        if (value instanceof Double d) {
            return number(d.doubleValue(), type);
        }
        if (value instanceof UnsignedInteger u) {
            return ValueCodec.canonical(type, u.bigIntegerValue().toString(), "value");
        }
        if (value instanceof SignedInteger s) {
            return ValueCodec.canonical(type, s.bigIntegerValue().toString(), "value");
        }
        if (value instanceof Enumerated e) {
            return ValueCodec.canonical(type, Integer.toString(e.intValue()), "value");
        }
        if (value instanceof CharacterString s) {
            return ValueCodec.canonical(type, s.getValue(), "value");
        }
        if (type == DataType.STRING) {
            return ValueCodec.canonical(type, value.toString(), "value");
        }
        throw new InvalidValueException("value", "a BACnet " + value.getClass().getSimpleName()
                + " cannot be held by a " + type + " datapoint");
    }

    private static String number(double d, DataType type) {
        if (java.lang.Double.isNaN(d) || java.lang.Double.isInfinite(d)) {
            throw new InvalidValueException("value", "the device sent " + d + ", not a finite number");
        }
        return switch (type) {
            case REAL, STRING -> java.lang.Double.toString(d);
            case INTEGER -> Long.toString(Math.round(d));
            case BOOLEAN -> java.lang.Boolean.toString(d != 0);
        };
    }

    /**
     * The BACnet value to write for a datapoint command (canonical text of {@code type}). Null or empty: Null, which
     * relinquishes the binding's priority on a commandable object.
     *
     * @throws InvalidValueException (field {@code value}) when the value does not fit the object
     */
    public static Encodable toBacnet(String value, DataType type, BacnetObjectType object) {
        if (value == null || (value.isEmpty() && object.kind() != BacnetObjectType.Kind.TEXT)) {
            return Null.instance;
        }
        String v = value.trim();
        return switch (object.kind()) {
            case ANALOG -> {
                double d = java.lang.Double.parseDouble(ValueCodec.canonical(DataType.REAL, bool01(v), "value"));
                if (Math.abs(d) > Float.MAX_VALUE) {
                    throw new InvalidValueException("value", "out of range for a BACnet REAL: " + v);
                }
                yield new Real((float) d);
            }
            case BINARY -> {
                String b = switch (v.toLowerCase(java.util.Locale.ROOT)) {
                    case "active" -> "true";
                    case "inactive" -> "false";
                    default -> ValueCodec.canonical(DataType.BOOLEAN, v, "value");
                };
                yield "true".equals(b) ? BinaryPV.active : BinaryPV.inactive;
            }
            case MULTI_STATE -> {
                double d = java.lang.Double.parseDouble(ValueCodec.canonical(DataType.REAL, v, "value"));
                if (d != Math.rint(d) || d < 1 || d > 4294967295.0) {
                    throw new InvalidValueException("value", "a multi-state value is a state number 1, 2, ...: " + v);
                }
                yield new UnsignedInteger((long) d);
            }
            case TEXT -> new CharacterString(value);
        };
    }

    /** Booleans written to analog objects become 1.0 / 0.0. */
    private static String bool01(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on" -> "1";
            case "false", "off" -> "0";
            default -> v;
        };
    }
}
