package org.bmsmqtt.bms.datapoint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What a configuration change did to the command topics: topics to subscribe and to unsubscribe, per broker id. */
public record TopicDelta(Map<Long, Set<String>> added, Map<Long, Set<String>> removed) {

    static TopicDelta none() {
        return new TopicDelta(Map.of(), Map.of());
    }

    /**
     * This change followed by {@code next}, as one change: a topic removed by one and added by the other (in either
     * order) is no change.
     */
    public TopicDelta then(TopicDelta next) {
        if (next.isEmpty()) {
            return this;
        }
        Map<Long, Set<String>> add = copy(added);
        Map<Long, Set<String>> remove = copy(removed);
        next.added.forEach((broker, topics) -> topics.forEach(t -> {
            if (!remove.getOrDefault(broker, Set.of()).contains(t)) {
                add.computeIfAbsent(broker, k -> new HashSet<>()).add(t);
            } else {
                remove.get(broker).remove(t);
            }
        }));
        next.removed.forEach((broker, topics) -> topics.forEach(t -> {
            if (!add.getOrDefault(broker, Set.of()).contains(t)) {
                remove.computeIfAbsent(broker, k -> new HashSet<>()).add(t);
            } else {
                add.get(broker).remove(t);
            }
        }));
        add.values().removeIf(Set::isEmpty);
        remove.values().removeIf(Set::isEmpty);
        return new TopicDelta(add, remove);
    }

    private static Map<Long, Set<String>> copy(Map<Long, Set<String>> m) {
        Map<Long, Set<String>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new HashSet<>(v)));
        return c;
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }
}
