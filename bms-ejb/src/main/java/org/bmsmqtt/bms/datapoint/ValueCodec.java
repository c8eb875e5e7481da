package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.Locale;

/**
 * Plain-text payloads to typed values and back. Numbers use a dot as decimal separator; booleans accept
 * true/false, 1/0 and on/off; strings are UTF-8 up to {@link #MAX_STRING_LENGTH} characters.
 * The canonical text of a value is what is stored and published.
 */
public final class ValueCodec {

    public static final int MAX_STRING_LENGTH = 4096;

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
        if (!isReal(t)) {
            throw new InvalidValueException(field, "not a number (use a dot as decimal separator): '" + clip(t) + "'");
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            throw new InvalidValueException(field, "number out of range: '" + clip(t) + "'");
        }
        return Double.toString(d);
    }

    private static String integer(String t, String field) {
        if (!isInteger(t)) {
            throw new InvalidValueException(field, "not an integer: '" + clip(t) + "'");
        }
        try {
            return Long.toString(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new InvalidValueException(field, "integer out of range: '" + clip(t) + "'");
        }
    }

    /**
     * {@code [+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?} with ASCII digits, by hand: a regex matcher per
     * command was the engine's largest allocation on the relay path.
     */
    static boolean isReal(String t) {
        int n = t.length();
        int i = sign(t, 0);
        int whole = digits(t, i);
        i += whole;
        int fraction = 0;
        if (i < n && t.charAt(i) == '.') {
            fraction = digits(t, i + 1);
            i += 1 + fraction;
        }
        if (whole == 0 && fraction == 0) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i = sign(t, i + 1);
            int exponent = digits(t, i);
            if (exponent == 0) {
                return false;
            }
            i += exponent;
        }
        return i == n;
    }

    /** {@code [+-]?\\d{1,19}} with ASCII digits. */
    static boolean isInteger(String t) {
        int i = sign(t, 0);
        int d = digits(t, i);
        return d >= 1 && d <= 19 && i + d == t.length();
    }

    private static int sign(String t, int i) {
        return i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-') ? i + 1 : i;
    }

    /** How many ASCII digits start at {@code i}. */
    private static int digits(String t, int i) {
        int j = i;
        while (j < t.length() && t.charAt(j) >= '0' && t.charAt(j) <= '9') {
            j++;
        }
        return j - i;
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
