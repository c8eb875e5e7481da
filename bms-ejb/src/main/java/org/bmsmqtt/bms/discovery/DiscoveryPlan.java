package org.bmsmqtt.bms.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to publish to bring a broker's retained config messages from what we published last to what the configuration
 * says now (pure logic): new and changed configs, an empty retained message for each datapoint that is gone, and for
 * each whose topic moved (another component after an access mode change, another prefix) an empty one on the old topic.
 */
final class DiscoveryPlan {

    /** {@code next}: what is published after {@code messages} went out, per datapoint id. */
    record Result(List<DiscoveryMessage> messages, Map<Long, DiscoveryMessage> next) {
    }

    private DiscoveryPlan() {
    }

    /**
     * @param published what went out before, per datapoint id
     * @param current   the configs now, for the datapoints in {@code scope}
     * @param scope     the datapoints looked at; null: all of them (then a published one missing in current is gone)
     * @param republish send unchanged configs again too (a new session: the broker may have lost its retained messages)
     */
    static Result plan(Map<Long, DiscoveryMessage> published, Map<Long, DiscoveryMessage> current, Collection<Long> scope,
                       boolean republish) {
        Set<Long> ids = new LinkedHashSet<>();
        if (scope == null) {
            ids.addAll(published.keySet());
            ids.addAll(current.keySet());
        } else {
            ids.addAll(scope);
        }
        Map<Long, DiscoveryMessage> next = new HashMap<>(published);
        List<DiscoveryMessage> out = new ArrayList<>();
        for (Long id : ids) {
            DiscoveryMessage before = published.get(id);
            DiscoveryMessage now = current.get(id);
            if (now == null) {
                if (before != null) {
                    out.add(DiscoveryMessage.removal(before.topic()));
                    next.remove(id);
                }
                continue;
            }
            if (before != null && !before.topic().equals(now.topic())) {
                out.add(DiscoveryMessage.removal(before.topic()));
            }
            if (republish || !now.equals(before)) {
                out.add(now);
            }
            next.put(id, now);
        }
        return new Result(out, next);
    }

    /** Every published config removed (discovery switched off). */
    static List<DiscoveryMessage> removeAll(Map<Long, DiscoveryMessage> published) {
        return published.values().stream().map(m -> DiscoveryMessage.removal(m.topic())).toList();
    }

    /**
     * The configs found on the broker under our node that the configuration no longer has (a datapoint deleted while
     * the server was down, a database restored from a backup): an empty retained message for each.
     */
    static List<DiscoveryMessage> stale(Collection<String> foundTopics, Collection<DiscoveryMessage> current) {
        Set<String> kept = new java.util.HashSet<>();
        current.forEach(m -> kept.add(m.topic()));
        return foundTopics.stream().filter(t -> !kept.contains(t)).sorted().map(DiscoveryMessage::removal).toList();
    }
}
