package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Plain-text payloads to typed values and back. Numbers use a dot as decimal separator; booleans accept
 * true/false, 1/0 and on/off; strings are UTF-8 up to {@link #MAX_STRING_LENGTH} characters.
 * The canonical text of a value is what is stored and published.
 */
public final class ValueCodec {

    public static final int MAX_STRING_LENGTH = 4096;
    private static final Pattern REAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");

    private ValueCodec() {
    }

    /**
     * Parses {@code text} as a value of {@code type} and returns its canonical text.
     *
     * @throws InvalidValueException naming {@code field} with the reason
     */
    public static String canonical(DataType type, String text, String field) {
        if (text == null) {
            throw new InvalidValueException(field, "a value is required");
        }
        String t = type == DataType.STRING ? text : text.trim();
        return switch (type) {
            case REAL -> real(t, field);
            case INTEGER -> integer(t, field);
            case BOOLEAN -> bool(t, field);
            case STRING -> string(t, field);
        };
    }

    private static String real(String t, String field) {
        if (!REAL.matcher(t).matches()) {
            throw new InvalidValueException(field, "not a number (use a dot as decimal separator): '" + clip(t) + "'");
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            throw new InvalidValueException(field, "number out of range: '" + clip(t) + "'");
        }
        return Double.toString(d);
    }

    private static String integer(String t, String field) {
        if (!INTEGER.matcher(t).matches()) {
            throw new InvalidValueException(field, "not an integer: '" + clip(t) + "'");
        }
        try {
            return Long.toString(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new InvalidValueException(field, "integer out of range: '" + clip(t) + "'");
        }
    }

    private static String bool(String t, String field) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "1", "on" -> "true";
            case "false", "0", "off" -> "false";
            default -> throw new InvalidValueException(field, "not a boolean (true/false, 1/0, on/off): '" + clip(t) + "'");
        };
    }

    private static String string(String t, String field) {
        if (t.length() > MAX_STRING_LENGTH) {
            throw new InvalidValueException(field, "string longer than " + MAX_STRING_LENGTH + " characters");
        }
        return t;
    }

    private static String clip(String t) {
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
