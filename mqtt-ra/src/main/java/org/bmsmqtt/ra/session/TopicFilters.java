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

    /** Whether {@code topic} (a concrete topic) matches {@code filter}; walks both strings, allocates nothing. */
    public static boolean matches(String filter, String topic) {
        String f = withoutShare(filter);
        // Wildcards at the first level do not match topics starting with '$' (MQTT 5, 4.7.2).
        if (topic.startsWith("$") && (f.startsWith("+") || f.startsWith("#"))) {
            return false;
        }
        int fi = 0;
        int ti = 0;
        while (true) {
            int fe = end(f, fi);
            int te = end(topic, ti);
            boolean plus = fe - fi == 1 && f.charAt(fi) == '+';
            if (fe - fi == 1 && f.charAt(fi) == '#') {
                return true;
            }
            if (!plus && (fe - fi != te - ti || !f.regionMatches(fi, topic, ti, fe - fi))) {
                return false;
            }
            boolean filterDone = fe == f.length();
            boolean topicDone = te == topic.length();
            if (filterDone || topicDone) {
                // "a/#" also matches "a": the filter may go on with exactly "/#"
                return filterDone == topicDone || (topicDone && f.length() - fe == 2 && f.endsWith("/#"));
            }
            fi = fe + 1;
            ti = te + 1;
        }
    }

    static boolean hasWildcard(String plainFilter) {
        return plainFilter.indexOf('+') >= 0 || plainFilter.indexOf('#') >= 0;
    }

    private static int end(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    static String withoutShare(String filter) {
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
