package org.bmsmqtt.ra.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicFiltersTest {

    @Test
    void exact_and_single_level_wildcards_match() {
        assertTrue(TopicFilters.matches("a/b/c", "a/b/c"));
        assertTrue(TopicFilters.matches("a/+/c", "a/b/c"));
        assertTrue(TopicFilters.matches("+/+/+", "a/b/c"));
        assertFalse(TopicFilters.matches("a/+/c", "a/b/d"));
        assertFalse(TopicFilters.matches("a/+", "a/b/c"));
        assertFalse(TopicFilters.matches("a/b/c", "a/b"));
        assertTrue(TopicFilters.matches("a/+", "a/"), "an empty level is a level");
    }

    @Test
    void multi_level_wildcard_matches_the_parent_and_everything_below() {
        assertTrue(TopicFilters.matches("a/#", "a"));
        assertTrue(TopicFilters.matches("a/#", "a/b"));
        assertTrue(TopicFilters.matches("a/#", "a/b/c/d"));
        assertTrue(TopicFilters.matches("#", "x/y"));
        assertFalse(TopicFilters.matches("a/#", "b/a"));
    }

    @Test
    void wildcards_at_the_first_level_do_not_match_dollar_topics() {
        assertFalse(TopicFilters.matches("#", "$SYS/broker/uptime"));
        assertFalse(TopicFilters.matches("+/broker/uptime", "$SYS/broker/uptime"));
        assertTrue(TopicFilters.matches("$SYS/#", "$SYS/broker/uptime"));
    }

    @Test
    void shared_subscriptions_match_on_their_filter() {
        assertTrue(TopicFilters.matches("$share/g1/bms/+/set", "bms/x/set"));
        assertFalse(TopicFilters.matches("$share/g1/bms/+/set", "bms/x/state"));
    }

    @Test
    void invalid_filters_are_refused_with_the_reason() {
        assertEquals("'#' must be a whole level and the last one: a/#/b",
                assertThrows(IllegalArgumentException.class, () -> TopicFilters.validate("a/#/b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopicFilters.validate("a/b#"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilters.validate("a/b+/c"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilters.validate(""));
        assertThrows(IllegalArgumentException.class, () -> TopicFilters.validate("$share//a"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilters.validate("$share/g"));
        TopicFilters.validate("a/+/#");
        TopicFilters.validate("$share/g/a/#");
    }

    @Test
    void levels_compare_whole_not_by_prefix() {
        assertFalse(TopicFilters.matches("a/b", "a/bc"));
        assertFalse(TopicFilters.matches("a/bc", "a/b"));
        assertFalse(TopicFilters.matches("ab/c", "a/c"));
        assertTrue(TopicFilters.matches("+", "a"));
        assertFalse(TopicFilters.matches("+", "a/b"));
        assertTrue(TopicFilters.matches("a/+/#", "a/b"));
        assertFalse(TopicFilters.matches("a/+/#", "a"));
        assertTrue(TopicFilters.matches("/+", "/x"));
        assertFalse(TopicFilters.matches("a/#", "ab"));
    }

    /** The allocation-free matcher against the plain definition (split into levels), over random filters and topics. */
    @Test
    void agrees_with_the_level_by_level_definition() {
        java.util.Random random = new java.util.Random(42);
        String[] words = {"a", "b", "", "+", "ab", "#"}; // "#" only as the last level
        for (int n = 0; n < 20_000; n++) {
            StringBuilder f = new StringBuilder();
            StringBuilder t = new StringBuilder();
            int fl = 1 + random.nextInt(4);
            for (int i = 0; i < fl; i++) {
                String w = words[random.nextInt(i == fl - 1 ? words.length : words.length - 1)];
                f.append(i == 0 ? "" : "/").append(w);
            }
            int tl = 1 + random.nextInt(4);
            for (int i = 0; i < tl; i++) {
                t.append(i == 0 ? "" : "/").append(words[random.nextInt(3)]);
            }
            assertEquals(reference(f.toString(), t.toString()), TopicFilters.matches(f.toString(), t.toString()),
                    f + " against " + t);
        }
    }

    private static boolean reference(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
