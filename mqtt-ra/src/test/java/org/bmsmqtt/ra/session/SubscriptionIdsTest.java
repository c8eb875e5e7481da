package org.bmsmqtt.ra.session;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionIdsTest {

    @Test
    void identifiers_are_valid_stable_and_spread_over_the_buckets() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            int id = SubscriptionIds.of("bms/dp/" + i + "/set");
            assertTrue(id >= 1 && id <= SubscriptionIds.BUCKETS, "out of range: " + id);
            seen.add(id);
        }
        assertEquals(SubscriptionIds.BUCKETS, seen.size(), "100,000 filters use every bucket");
        // fixed by String.hashCode's specification: the same in every JVM, so a restart recognises its own; a change
        // of the function makes every persistent session's queued messages look stale once, after an upgrade
        assertEquals(202, SubscriptionIds.of("stale/wanted"));
        assertEquals(159, SubscriptionIds.of("stale/#"));
        assertNotEquals(SubscriptionIds.of("stale/#"), SubscriptionIds.of("stale/wanted"),
                "InboundReliabilityTest relies on these two being apart");
    }

    @Test
    void a_copy_is_delivered_to_the_subscriptions_it_names_and_to_all_when_it_names_none() {
        SubscriptionIndex<String> index = new SubscriptionIndex<>();
        index.put(new SubscriptionIndex.Entry<>("a/+", 1, "wild", 7));
        index.put(new SubscriptionIndex.Entry<>("a/b", 1, "exact", 8));

        assertEquals(List.of("wild"), index.sinksFor("a/b", List.of(7)));
        assertEquals(List.of("exact"), index.sinksFor("a/b", List.of(8)));
        assertEquals(List.of("exact", "wild"), index.sinksFor("a/b", List.of(7, 8)));
        assertEquals(List.of(), index.sinksFor("a/b", List.of(99)), "a stale subscription's copy reaches no sink");
        // a broker without identifiers (or a subscription made without one): every matching subscription, as before
        assertEquals(List.of("exact", "wild"), index.sinksFor("a/b", List.of()));
    }

    @Test
    void the_common_case_of_one_exact_subscription_checks_the_identifier_too() {
        SubscriptionIndex<String> index = new SubscriptionIndex<>();
        index.put(new SubscriptionIndex.Entry<>("dp/1/set", 1, "dp1"));
        int id = SubscriptionIds.of("dp/1/set");
        assertEquals(id, index.get("dp/1/set").identifier());
        assertEquals(List.of("dp1"), index.sinksFor("dp/1/set", List.of(id)));
        assertEquals(List.of(), index.sinksFor("dp/1/set", List.of(id + 1)));
        assertEquals(List.of("dp1"), index.sinksFor("dp/1/set", List.of()));
    }
}
