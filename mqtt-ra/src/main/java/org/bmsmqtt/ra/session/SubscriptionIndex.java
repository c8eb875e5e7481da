package org.bmsmqtt.ra.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's subscriptions, indexed for the hot path: filters without wildcards are found by a hash lookup of the
 * topic, only wildcard filters are matched one by one. With 100,000 datapoint topics on one broker a message costs
 * one map lookup, not 100,000 comparisons. Writes (subscribe / unsubscribe) are rare and synchronized; reads take no
 * lock.
 *
 * @param <S> what a subscription delivers to (a sink)
 */
final class SubscriptionIndex<S> {

    /**
     * One subscription: the filter as given (may be {@code $share/...}), its QoS, where messages go, and its MQTT 5
     * subscription identifier ({@link SubscriptionIds#of}).
     */
    record Entry<S>(String filter, int qos, S sink, int identifier) {

        Entry(String filter, int qos, S sink) {
            this(filter, qos, sink, SubscriptionIds.of(filter));
        }
    }

    private final Map<String, Entry<S>> byFilter = new ConcurrentHashMap<>();
    /** Plain topic (the filter without {@code $share/group/}) to the entries that match exactly that topic. */
    private final Map<String, List<Entry<S>>> exact = new ConcurrentHashMap<>();
    private volatile List<Entry<S>> wildcards = List.of();

    synchronized void put(Entry<S> entry) {
        remove(entry.filter());
        byFilter.put(entry.filter(), entry);
        String plain = TopicFilters.withoutShare(entry.filter());
        if (TopicFilters.hasWildcard(plain)) {
            List<Entry<S>> w = new ArrayList<>(wildcards);
            w.add(entry);
            wildcards = List.copyOf(w);
        } else {
            List<Entry<S>> list = new ArrayList<>(exact.getOrDefault(plain, List.of()));
            list.add(entry);
            exact.put(plain, List.copyOf(list));
        }
    }

    /** Removes the filter; true when it was there. */
    synchronized boolean remove(String filter) {
        Entry<S> old = byFilter.remove(filter);
        if (old == null) {
            return false;
        }
        String plain = TopicFilters.withoutShare(filter);
        if (TopicFilters.hasWildcard(plain)) {
            List<Entry<S>> w = new ArrayList<>(wildcards);
            w.remove(old);
            wildcards = List.copyOf(w);
        } else {
            List<Entry<S>> list = new ArrayList<>(exact.getOrDefault(plain, List.of()));
            list.remove(old);
            if (list.isEmpty()) {
                exact.remove(plain);
            } else {
                exact.put(plain, List.copyOf(list));
            }
        }
        return true;
    }

    Entry<S> get(String filter) {
        return byFilter.get(filter);
    }

    Collection<Entry<S>> all() {
        return List.copyOf(byFilter.values());
    }

    /** The distinct sinks of every subscription matching the concrete topic. */
    List<S> sinksFor(String topic) {
        return sinksFor(topic, List.of());
    }

    /**
     * The distinct sinks of the subscriptions matching the concrete topic that the broker delivered this copy for.
     *
     * @param identifiers the subscription identifiers of the PUBLISH; empty (a broker without identifiers, or a
     *                    subscription made without one): every matching subscription, as before identifiers
     */
    List<S> sinksFor(String topic, List<Integer> identifiers) {
        List<Entry<S>> direct = exact.getOrDefault(topic, List.of());
        List<Entry<S>> wild = wildcards;
        if (wild.isEmpty() && direct.size() == 1) { // the common case: one datapoint topic, one sink
            Entry<S> only = direct.get(0);
            return carries(identifiers, only) ? List.of(only.sink()) : List.of();
        }
        List<S> sinks = new ArrayList<>(2);
        for (Entry<S> e : direct) {
            if (!sinks.contains(e.sink()) && carries(identifiers, e)) {
                sinks.add(e.sink());
            }
        }
        for (Entry<S> e : wild) {
            if (!sinks.contains(e.sink()) && carries(identifiers, e) && TopicFilters.matches(e.filter(), topic)) {
                sinks.add(e.sink());
            }
        }
        return sinks;
    }

    private static boolean carries(List<Integer> identifiers, Entry<?> entry) {
        return identifiers.isEmpty() || identifiers.contains(entry.identifier());
    }
}
