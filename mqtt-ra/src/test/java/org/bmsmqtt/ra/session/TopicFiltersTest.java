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
}
