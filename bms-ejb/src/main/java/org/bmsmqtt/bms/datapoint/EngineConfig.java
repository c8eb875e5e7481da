package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.ra.api.Availability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's configuration in memory, changed one datapoint or broker at a time: a change costs work in proportion
 * to that datapoint's bindings, never to the installation's size (100,000 datapoints). Readers (the hot path) take no
 * lock; writers are serialized. Each change returns the command topics it added and removed per broker, so the
 * broker registry subscribes and unsubscribes just those.
 */
final class EngineConfig {

    /**
     * {@code unit}: the datapoint's unit (empty for none), for JSON state reports and discovery; {@code options}: the
     * only values it takes (empty: any); {@code backupSync}: its value goes to the cluster's backups at once.
     */
    record DpConfig(long id, String name, DataType type, AccessMode mode, boolean persistent, boolean historical,
                    String unit, List<String> options, boolean backupSync) {

        DpConfig {
            unit = unit == null ? "" : unit;
            options = options == null ? List.of() : options;
        }

        DpConfig(long id, String name, DataType type, AccessMode mode, boolean persistent, boolean historical,
                 String unit, List<String> options) {
            this(id, name, type, mode, persistent, historical, unit, options, false);
        }

        DpConfig(long id, String name, DataType type, AccessMode mode, boolean persistent, boolean historical,
                 String unit) {
            this(id, name, type, mode, persistent, historical, unit, List.of());
        }

        DpConfig(long id, String name, DataType type, AccessMode mode, boolean persistent, boolean historical) {
            this(id, name, type, mode, persistent, historical, "");
        }
    }

    record BindingConfig(long id, long datapointId, long brokerId, String commandTopic, String reportTopic, int qos,
                         boolean retained, PayloadFormat format, String pointer) {

        boolean hasCommandTopic() {
            return commandTopic != null && !commandTopic.isEmpty();
        }

        boolean hasReportTopic() {
            return reportTopic != null && !reportTopic.isEmpty();
        }
    }

    private final Map<Long, DpConfig> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> byName = new ConcurrentHashMap<>();
    private final Map<Long, List<BindingConfig>> bindingsOf = new ConcurrentHashMap<>();
    /** "brokerId topic" to the bindings taking commands there (immutable lists, replaced whole). */
    private final Map<String, List<BindingConfig>> byCommand = new ConcurrentHashMap<>();
    private final Map<Long, EchoPolicy> echoPolicies = new ConcurrentHashMap<>();
    private final Map<Long, Availability> availabilities = new ConcurrentHashMap<>();
    /** The keys of byCommand per broker: what a broker's session subscribes when it opens. */
    private final Map<Long, Set<String>> topicsByBroker = new ConcurrentHashMap<>();

    // --- the hot path -----------------------------------------------------------------------------------------

    DpConfig datapoint(long id) {
        return byId.get(id);
    }

    Long idOf(String name) {
        return byName.get(name);
    }

    List<BindingConfig> commandBindings(long brokerId, String topic) {
        return byCommand.get(key(brokerId, topic));
    }

    List<BindingConfig> bindingsOf(long datapointId) {
        return bindingsOf.getOrDefault(datapointId, List.of());
    }

    /**
     * How a broker's loops are stopped: {@code confirm} true: a command is confirmed on the report topic, and a
     * command repeating a value reported to that broker less than {@code windowNanos} ago is its echo; false: a value
     * from the broker is not reported back to it within the window.
     */
    record EchoPolicy(long windowNanos, boolean confirm) {
        static final EchoPolicy NONE = new EchoPolicy(0, true);
    }

    EchoPolicy echoPolicy(long brokerId) {
        return echoPolicies.getOrDefault(brokerId, EchoPolicy.NONE);
    }

    /**
     * The payloads a broker's availability uses ({@link Availability#OFF} when it is switched off); the availability
     * topics of datapoints with a field-bus source take the same payloads as the broker's own.
     */
    Availability availability(long brokerId) {
        return availabilities.getOrDefault(brokerId, Availability.OFF);
    }

    long antiEchoNanos(long brokerId) {
        return echoPolicy(brokerId).windowNanos();
    }

    /** Whether the datapoint takes commands from that broker (only then can a report to it come back as one). */
    boolean commandsFrom(long datapointId, long brokerId) {
        for (BindingConfig b : bindingsOf(datapointId)) {
            if (b.brokerId() == brokerId && b.hasCommandTopic()) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return byId.size();
    }

    Set<Long> ids() {
        return Set.copyOf(byId.keySet());
    }

    /** The command topics of one broker: what its session must subscribe when it opens. */
    Set<String> commandTopics(long brokerId) {
        return Set.copyOf(topicsByBroker.getOrDefault(brokerId, Set.of()));
    }

    // --- changes ----------------------------------------------------------------------------------------------

    /** Adds or replaces a datapoint with all its bindings. */
    synchronized TopicDelta put(DpConfig dp, Collection<BindingConfig> bindings) {
        Delta delta = new Delta();
        drop(dp.id(), delta);
        byId.put(dp.id(), dp);
        byName.put(dp.name(), dp.id());
        List<BindingConfig> list = List.copyOf(bindings);
        bindingsOf.put(dp.id(), list);
        for (BindingConfig b : list) {
            if (b.hasCommandTopic()) {
                String k = key(b.brokerId(), b.commandTopic());
                List<BindingConfig> old = byCommand.getOrDefault(k, List.of());
                if (old.isEmpty()) {
                    delta.add(b.brokerId(), b.commandTopic());
                    topicsByBroker.computeIfAbsent(b.brokerId(), id -> ConcurrentHashMap.newKeySet()).add(b.commandTopic());
                }
                List<BindingConfig> grown = new ArrayList<>(old);
                grown.add(b);
                byCommand.put(k, List.copyOf(grown));
            }
        }
        return delta.result();
    }

    /** Removes a datapoint and its bindings. */
    synchronized TopicDelta remove(long datapointId) {
        Delta delta = new Delta();
        drop(datapointId, delta);
        return delta.result();
    }

    synchronized void putBroker(long brokerId, long antiEchoMillis, boolean confirmCommands) {
        putBroker(brokerId, antiEchoMillis, confirmCommands, Availability.OFF);
    }

    synchronized void putBroker(long brokerId, long antiEchoMillis, boolean confirmCommands, Availability availability) {
        echoPolicies.put(brokerId, new EchoPolicy(antiEchoMillis * 1_000_000L, confirmCommands));
        availabilities.put(brokerId, availability);
    }

    /** A deleted broker: its bindings go with it (the database deleted them in the same transaction). */
    synchronized void removeBroker(long brokerId) {
        echoPolicies.remove(brokerId);
        availabilities.remove(brokerId);
        for (Map.Entry<Long, List<BindingConfig>> e : bindingsOf.entrySet()) {
            if (e.getValue().stream().anyMatch(b -> b.brokerId() == brokerId)) {
                DpConfig dp = byId.get(e.getKey());
                List<BindingConfig> kept = e.getValue().stream().filter(b -> b.brokerId() != brokerId).toList();
                if (dp != null) {
                    put(dp, kept);
                }
            }
        }
    }

    private void drop(long datapointId, Delta delta) {
        DpConfig old = byId.remove(datapointId);
        if (old != null) {
            byName.remove(old.name(), datapointId);
        }
        for (BindingConfig b : bindingsOf.getOrDefault(datapointId, List.of())) {
            if (b.hasCommandTopic()) {
                String k = key(b.brokerId(), b.commandTopic());
                List<BindingConfig> shrunk = new ArrayList<>(byCommand.getOrDefault(k, List.of()));
                shrunk.removeIf(x -> x.id() == b.id());
                if (shrunk.isEmpty()) {
                    byCommand.remove(k);
                    delta.remove(b.brokerId(), b.commandTopic());
                    topicsByBroker.getOrDefault(b.brokerId(), new HashSet<>()).remove(b.commandTopic());
                } else {
                    byCommand.put(k, List.copyOf(shrunk));
                }
            }
        }
        bindingsOf.remove(datapointId);
    }

    private static String key(long brokerId, String topic) {
        return brokerId + " " + topic;
    }

    /** Collects a change; a topic removed and added again within one change is no change. */
    private static final class Delta {
        private final Map<Long, Set<String>> added = new HashMap<>();
        private final Map<Long, Set<String>> removed = new HashMap<>();

        void add(long broker, String topic) {
            Set<String> r = removed.get(broker);
            if (r != null && r.remove(topic)) {
                return;
            }
            added.computeIfAbsent(broker, k -> new HashSet<>()).add(topic);
        }

        void remove(long broker, String topic) {
            added.computeIfAbsent(broker, k -> new HashSet<>()).remove(topic);
            removed.computeIfAbsent(broker, k -> new HashSet<>()).add(topic);
        }

        TopicDelta result() {
            added.values().removeIf(Set::isEmpty);
            removed.values().removeIf(Set::isEmpty);
            return added.isEmpty() && removed.isEmpty() ? TopicDelta.none() : new TopicDelta(Map.copyOf(added),
                    Map.copyOf(removed));
        }
    }
}
