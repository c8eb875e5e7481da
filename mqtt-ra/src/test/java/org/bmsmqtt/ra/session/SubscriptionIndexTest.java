package org.bmsmqtt.ra.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionIndexTest {

    private final SubscriptionIndex<String> index = new SubscriptionIndex<>();

    private void put(String filter, String sink) {
        index.put(new SubscriptionIndex.Entry<>(filter, 1, sink));
    }

    @Test
    void exact_filters_are_found_by_topic_and_only_by_it() {
        for (int i = 0; i < 10_000; i++) {
            put("dp/" + i + "/set", "sink-" + (i % 3));
        }
        assertEquals(List.of("sink-1"), index.sinksFor("dp/4/set"));
        assertEquals(List.of(), index.sinksFor("dp/4/state"));
        assertEquals(List.of(), index.sinksFor("dp/4"));
        assertEquals(10_000, index.all().size());
    }

    @Test
    void wildcards_shared_and_exact_filters_combine_without_duplicate_sinks() {
        put("a/b", "one");
        put("a/+", "one");
        put("$share/g/a/b", "two");
        put("a/#", "three");
        put("x/#", "four");
        assertEquals(List.of("one", "two", "three"), index.sinksFor("a/b"));
        assertEquals(List.of("one", "three"), index.sinksFor("a/c"));
        assertEquals(List.of("three"), index.sinksFor("a"));
    }

    @Test
    void removing_and_replacing_a_filter_updates_the_lookup() {
        put("a/b", "one");
        put("$share/g/a/b", "two");
        put("a/+", "three");
        assertTrue(index.remove("a/b"));
        assertFalse(index.remove("a/b"));
        assertEquals(List.of("two", "three"), index.sinksFor("a/b"));
        put("a/+", "four"); // the same filter again: replaced, not doubled
        assertEquals(List.of("two", "four"), index.sinksFor("a/b"));
        index.remove("$share/g/a/b");
        index.remove("a/+");
        assertEquals(List.of(), index.sinksFor("a/b"));
        assertEquals(0, index.all().size());
    }
}
