package org.bmsmqtt.ra.session;

/** MQTT topic filter rules: validation and matching, including {@code $share/group/filter}. */
public final class TopicFilters {

    private TopicFilters() {
    }

    /** Throws {@link IllegalArgumentException} naming what is wrong with the filter. */
    public static void validate(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("topic filter must not be empty");
        }
        String plain = withoutShare(filter);
        String[] levels = plain.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'#' must be a whole level and the last one: " + filter);
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level: " + filter);
            }
        }
    }

    /** Whether {@code topic} (a concrete topic) matches {@code filter}. */
    public static boolean matches(String filter, String topic) {
        String[] f = withoutShare(filter).split("/", -1);
        String[] t = topic.split("/", -1);
        // Wildcards at the first level do not match topics starting with '$' (MQTT 5, 4.7.2).
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    private static String withoutShare(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', "$share/".length());
            if (slash < 0 || slash == "$share/".length()) {
                throw new IllegalArgumentException("shared subscription needs $share/<group>/<filter>: " + filter);
            }
            return filter.substring(slash + 1);
        }
        return filter;
    }
}
