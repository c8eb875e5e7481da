package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KNX group addresses in the three notations integrators use: 3-level {@code main/middle/sub} (0-31/0-7/0-255),
 * 2-level {@code main/sub} (0-31/0-2047) and free {@code 0..65535}. All name the same 16-bit value; we keep the
 * notation the integrator chose (ETS projects differ) and compare by the 16-bit value.
 * Our own parser, not Calimero's, so that an error names the part that is out of range.
 */
public final class GroupAddresses {

    private static final Pattern THREE = Pattern.compile("(\\d{1,5})/(\\d{1,5})/(\\d{1,5})");
    private static final Pattern TWO = Pattern.compile("(\\d{1,5})/(\\d{1,5})");
    private static final Pattern FREE = Pattern.compile("\\d{1,5}");

    private GroupAddresses() {
    }

    /** The 16-bit value of a group address in any of the three notations; 0 (broadcast) is refused. */
    public static int parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException(field, "a group address is required (main/middle/sub, main/sub or 1..65535)");
        }
        String t = text.trim();
        Matcher m;
        int raw;
        if ((m = THREE.matcher(t)).matches()) {
            raw = part(m, 1, 31, "main group", t, field) << 11 | part(m, 2, 7, "middle group", t, field) << 8
                    | part(m, 3, 255, "sub group", t, field);
        } else if ((m = TWO.matcher(t)).matches()) {
            raw = part(m, 1, 31, "main group", t, field) << 11 | part(m, 2, 2047, "sub group", t, field);
        } else if (FREE.matcher(t).matches()) {
            raw = Integer.parseInt(t);
            if (raw > 65535) {
                throw new InvalidValueException(field, "group address " + t + " out of range: a free address is 1..65535");
            }
        } else {
            throw new InvalidValueException(field, "not a group address: '" + clip(t)
                    + "' (3-level 0-31/0-7/0-255, 2-level 0-31/0-2047 or free 1..65535)");
        }
        if (raw == 0) {
            throw new InvalidValueException(field, "group address " + t + " is the broadcast address: not allowed");
        }
        return raw;
    }

    /** The address in the notation it was given, without spaces or leading zeros: what is stored. */
    public static String canonical(String text, String field) {
        int raw = parse(text, field);
        String t = text.trim();
        if (THREE.matcher(t).matches()) {
            return threeLevel(raw);
        }
        return TWO.matcher(t).matches() ? (raw >> 11) + "/" + (raw & 0x7ff) : Integer.toString(raw);
    }

    /** The conventional 3-level form of a 16-bit address (for sources and logs). */
    public static String threeLevel(int raw) {
        return (raw >> 11 & 0x1f) + "/" + (raw >> 8 & 0x7) + "/" + (raw & 0xff);
    }

    private static int part(Matcher m, int group, int max, String what, String t, String field) {
        int v = Integer.parseInt(m.group(group));
        if (v > max) {
            throw new InvalidValueException(field, "group address " + t + ": " + what + " " + v + " out of range 0.." + max);
        }
        return v;
    }

    private static String clip(String t) {
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
