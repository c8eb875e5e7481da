package org.bmsmqtt.bms.broker;

import jakarta.resource.ResourceException;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionStatus;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The open broker sessions of the {@link BrokerRegistry} by broker id: their command-topic subscriptions (with the
 * {@code $share/<group>/} prefix on a shared broker) and the way out for reports. Opening and closing them is the
 * registry's; everything here reads from memory, so it also works while the database is away.
 */
final class OpenSessions {

    private static final Logger LOG = Logger.getLogger(BrokerRegistry.class.getName());

    /** One open session: its name, spec, connection, the command topics it subscribed, its share prefix. */
    record Live(String name, BrokerSpec spec, MqttConnection connection, Set<String> subscribed, String sharePrefix) {

        /** The filter a command topic is subscribed with: {@code $share/<group>/<topic>} on a shared broker. */
        String filter(String topic) {
            return sharePrefix + topic;
        }
    }

    private final Map<Long, Live> live = new ConcurrentHashMap<>();
    /** When a report to a broker that is not open was last logged, per broker. */
    private final Map<Long, Long> notOpenLogged = new ConcurrentHashMap<>();

    void put(long brokerId, String name, BrokerSpec spec, MqttConnection connection, String sharePrefix) {
        live.put(brokerId, new Live(name, spec, connection, ConcurrentHashMap.newKeySet(), sharePrefix));
    }

    Live remove(long brokerId) {
        return live.remove(brokerId);
    }

    boolean containsKey(long brokerId) {
        return live.containsKey(brokerId);
    }

    Set<Long> ids() {
        return Set.copyOf(live.keySet());
    }

    /** The sessions of brokers this member holds alone (not shared): what a backup closes. */
    List<Long> notShared() {
        return live.entrySet().stream().filter(e -> e.getValue().sharePrefix().isEmpty()).map(Map.Entry::getKey)
                .toList();
    }

    Optional<SessionStatus> status(long brokerId) {
        return Optional.ofNullable(live.get(brokerId)).map(l -> l.connection().status());
    }

    SortedMap<Long, String> names() {
        SortedMap<Long, String> open = new TreeMap<>();
        live.forEach((id, l) -> open.put(id, l.name()));
        return open;
    }

    /**
     * The engine's {@link org.bmsmqtt.bms.shared.ReportPort}. A refusal is returned to the engine (counted on the
     * datapoint); the resource adapter logs its refusals once per cause and minute, this side logs a report to a
     * broker that is not open once per broker and minute, never once per message.
     */
    Optional<String> publish(long brokerId, Publication publication) {
        Live l = live.get(brokerId);
        if (l == null) {
            String why = "broker " + brokerId + " is not open (stopped, deleted or failed to open)";
            if (notOpenLogDue(brokerId)) {
                LOG.warning("BMS0201 reports to " + why + " are not published; counted on their datapoints "
                        + "(logged at most once a minute)");
            }
            return Optional.of(why);
        }
        try {
            l.connection().publish(publication);
            return Optional.empty();
        } catch (ResourceException e) {
            return Optional.of(e.getMessage());
        }
    }

    private boolean notOpenLogDue(long brokerId) {
        long now = System.nanoTime();
        Long last = notOpenLogged.get(brokerId);
        if (last != null && now - last < TimeUnit.MINUTES.toNanos(1)) {
            return false;
        }
        return last == null ? notOpenLogged.putIfAbsent(brokerId, now) == null
                : notOpenLogged.replace(brokerId, last, now);
    }

    /** Subscribes (or unsubscribes) just these command topics of one broker. */
    void subscribe(long brokerId, Set<String> topics, boolean add) {
        Live l = live.get(brokerId);
        if (l == null) {
            return; // not open: it subscribes everything when it opens
        }
        try {
            for (String t : topics) {
                if (add && l.subscribed().add(t)) {
                    l.connection().subscribe(l.filter(t), 1);
                } else if (!add && l.subscribed().remove(t)) {
                    l.connection().unsubscribe(l.filter(t));
                }
            }
        } catch (ResourceException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
        }
    }

    /** See {@link BrokerRegistry#subscribeOnce}. */
    boolean subscribeOnce(long brokerId, String filter, boolean add) {
        Live l = live.get(brokerId);
        if (l == null || l.subscribed().contains(filter)) {
            return false;
        }
        try {
            if (add) {
                l.connection().subscribe(filter, 1);
            } else {
                l.connection().unsubscribe(filter);
            }
            return true;
        } catch (ResourceException | RuntimeException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
            return false;
        }
    }

    /** Makes the session's command-topic subscriptions exactly {@code wanted}. */
    void resubscribe(long brokerId, Set<String> wanted) {
        Live l = live.get(brokerId);
        if (l == null) {
            return;
        }
        try {
            for (String t : wanted) {
                if (l.subscribed().add(t)) {
                    l.connection().subscribe(l.filter(t), 1);
                }
            }
            for (String t : new HashSet<>(l.subscribed())) {
                if (!wanted.contains(t)) {
                    l.connection().unsubscribe(l.filter(t));
                    l.subscribed().remove(t);
                }
            }
        } catch (ResourceException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
        }
    }
}
