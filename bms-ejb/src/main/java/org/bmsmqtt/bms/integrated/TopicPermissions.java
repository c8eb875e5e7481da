package org.bmsmqtt.bms.integrated;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/**
 * What one user of the integrated broker may do: MQTT topic patterns for publishing and for subscribing ({@code +}
 * and {@code #} as in MQTT). A publication is allowed when its topic matches a publish pattern; a subscription when
 * every topic its filter can match also matches one subscribe pattern (so {@code a/#} allows {@code a/b/+}, but
 * {@code a/+} does not allow {@code a/#}). No pattern: nothing allowed. Topics starting with {@code $} match only
 * patterns that start with the same {@code $} level (MQTT 5, 4.7.2).
 */
public record TopicPermissions(List<String> publish, List<String> subscribe) {

    public static final int MAX_PATTERNS = 100;
    public static final TopicPermissions ALL = new TopicPermissions(List.of("#"), List.of("#"));

    public TopicPermissions {
        publish = checked(publish, "publish");
        subscribe = checked(subscribe, "subscribe");
    }

    public boolean canPublish(String topic) {
        for (String p : publish) {
            if (covers(p, topic)) {
                return true;
            }
        }
        return false;
    }

    public boolean canSubscribe(String filter) {
        for (String p : subscribe) {
            if (covers(p, filter)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every topic {@code filter} matches is matched by {@code pattern} (a plain topic is a filter too). */
    static boolean covers(String pattern, String filter) {
        if (filter.startsWith("$") != pattern.startsWith("$")) {
            return false;
        }
        String[] p = pattern.split("/", -1);
        String[] f = filter.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("#")) {
                return true; // the rest of the filter, whatever it is, including nothing (a/# matches a)
            }
            if (i >= f.length) {
                return false;
            }
            if (f[i].equals("#")) {
                return false; // the filter reaches deeper than a pattern without # can
            }
            if (p[i].equals("+")) {
                continue; // one level: a name or + in the filter
            }
            if (!p[i].equals(f[i])) {
                return false;
            }
        }
        return p.length == f.length;
    }

    /** A valid MQTT topic filter: wildcards alone in their level, # only last, no NUL, 1..65535 bytes. */
    static void validFilter(String filter, String field) {
        if (filter == null || filter.isEmpty()) {
            throw new InvalidValueException(field, "an empty pattern");
        }
        if (filter.length() > 1024 || filter.indexOf('\0') >= 0) {
            throw new InvalidValueException(field, "at most 1024 characters, no NUL: " + shorten(filter));
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if ((l.contains("+") && !l.equals("+")) || (l.contains("#") && !l.equals("#"))) {
                throw new InvalidValueException(field, "a wildcard must fill its level: " + shorten(filter));
            }
            if (l.equals("#") && i != levels.length - 1) {
                throw new InvalidValueException(field, "# must be the last level: " + shorten(filter));
            }
        }
    }

    private static List<String> checked(List<String> patterns, String field) {
        if (patterns == null) {
            return List.of();
        }
        if (patterns.size() > MAX_PATTERNS) {
            throw new InvalidValueException(field, "at most " + MAX_PATTERNS + " patterns");
        }
        for (int i = 0; i < patterns.size(); i++) {
            validFilter(patterns.get(i), field + "[" + i + "]");
        }
        return List.copyOf(patterns);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
