package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.MqttMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The inbound side of one session: its subscriptions (sent in packets of {@value #FILTERS_PER_SUBSCRIBE}, all of them
 * again after every connect) and the hand-off of each received message to the sinks of the subscriptions it matches,
 * acknowledged to the broker only when every sink is done with it.
 */
final class Inbound {

    private static final Logger LOG = Logger.getLogger(Inbound.class.getName());
    private static final int FILTERS_PER_SUBSCRIBE = 500;

    private final String session;
    private final Supplier<MqttAsyncClient> client;
    private final Consumer<Runnable> later;
    private final BooleanSupplier connected;
    private final BooleanSupplier closed;
    private final SubscriptionIndex<InboundSink> subscriptions = new SubscriptionIndex<>();
    private final Queue<String> newFilters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean newFiltersScheduled = new AtomicBoolean();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    /** What the broker's last CONNACK said (MQTT 5: absent means available). */
    private volatile boolean identifiers = true;

    Inbound(String session, Supplier<MqttAsyncClient> client, Consumer<Runnable> later, BooleanSupplier connected,
            BooleanSupplier closed) {
        this.session = session;
        this.client = client;
        this.later = later;
        this.connected = connected;
        this.closed = closed;
    }

    /** Right after a connect: every subscription goes now; filters added from here on are queued again. */
    void subscribeAll() {
        newFilters.clear();
        sendSubscribe(new ArrayList<>(subscriptions.all()));
    }

    /** Once the session counts as connected: what was added during {@link #subscribeAll()}. */
    void subscribeNewFilters() {
        if (!newFilters.isEmpty()) {
            scheduleNewFilters();
        }
    }

    long received() {
        return received.get();
    }

    long undeliverable() {
        return undeliverable.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Copies dropped because they came for a subscription this session does not have (by subscription identifier). */
    long stale() {
        return stale.get();
    }

    /** From the CONNACK, before {@link #subscribeAll()}: whether SUBSCRIBE may carry subscription identifiers. */
    void identifiersAvailable(boolean available) {
        if (identifiers != available) {
            LOG.info("MQTTRA0031 " + session + ": the broker " + (available ? "supports" : "does not support")
                    + " subscription identifiers");
        }
        identifiers = available;
    }

    /** Adds (or replaces) a subscription; it is made now if connected, and after every connect. */
    void subscribe(String filter, int qos, InboundSink sink) {
        TopicFilters.validate(filter);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos: must be 0, 1 or 2, was " + qos);
        }
        subscriptions.put(new SubscriptionIndex.Entry<>(filter, qos, sink));
        newFilters.add(filter);
        if (connected.getAsBoolean()) {
            scheduleNewFilters(); // many subscribe calls in a row become few SUBSCRIBE packets
        } // else: connected() subscribes everything, then whatever came in meanwhile
    }

    private void scheduleNewFilters() {
        if (newFiltersScheduled.compareAndSet(false, true)) {
            later.accept(this::sendNewFilters);
        }
    }

    void unsubscribe(String filter) {
        if (subscriptions.remove(filter) && connected.getAsBoolean()) {
            later.accept(() -> {
                if (closed.getAsBoolean()) {
                    return; // the session went away first: nothing to unsubscribe from
                }
                try {
                    client.get().unsubscribe(filter);
                } catch (MqttException e) {
                    LOG.warning(() -> "MQTTRA0011 " + session + ": unsubscribe " + filter + " failed: " + Paho.describe(e));
                }
            });
        }
    }

    private void sendNewFilters() {
        newFiltersScheduled.set(false);
        if (!connected.getAsBoolean()) {
            return; // kept: connected() sends them
        }
        List<SubscriptionIndex.Entry<InboundSink>> subs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String f; (f = newFilters.poll()) != null; ) {
            SubscriptionIndex.Entry<InboundSink> e = subscriptions.get(f);
            if (e != null && seen.add(f)) {
                subs.add(e);
            }
        }
        sendSubscribe(subs);
    }

    /**
     * Subscribes in packets of at most FILTERS_PER_SUBSCRIBE filters. With subscription identifiers a packet holds the
     * filters of one identifier (one per SUBSCRIBE in MQTT 5): 100,000 datapoint topics are about 1,100 packets, without
     * identifiers 200.
     */
    private void sendSubscribe(List<SubscriptionIndex.Entry<InboundSink>> subs) {
        if (!identifiers) {
            sendChunks(subs, 0);
            return;
        }
        Map<Integer, List<SubscriptionIndex.Entry<InboundSink>>> byId = new TreeMap<>();
        for (SubscriptionIndex.Entry<InboundSink> e : subs) {
            byId.computeIfAbsent(e.identifier(), k -> new ArrayList<>()).add(e);
        }
        byId.forEach((id, list) -> sendChunks(list, id));
    }

    private void sendChunks(List<SubscriptionIndex.Entry<InboundSink>> subs, int identifier) {
        for (int from = 0; from < subs.size(); from += FILTERS_PER_SUBSCRIBE) {
            sendSubscribePacket(subs.subList(from, Math.min(subs.size(), from + FILTERS_PER_SUBSCRIBE)), identifier);
        }
    }

    /** {@code identifier} 0: none. */
    private void sendSubscribePacket(List<SubscriptionIndex.Entry<InboundSink>> subs, int identifier) {
        if (subs.isEmpty() || closed.getAsBoolean()) {
            return;
        }
        MqttProperties properties = new MqttProperties();
        if (identifier > 0) {
            properties.setSubscriptionIdentifier(identifier);
        }
        MqttSubscription[] mqttSubs = subs.stream()
                .map(s -> new MqttSubscription(s.filter(), s.qos()))
                .toArray(MqttSubscription[]::new);
        try {
            client.get().subscribe(mqttSubs, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    for (int i = 0; codes != null && i < codes.length && i < mqttSubs.length; i++) {
                        if (codes[i] >= 0x80) {
                            LOG.warning("MQTTRA0014 " + session + ": broker refused subscription "
                                    + mqttSubs[i].getTopic() + " with reason code " + codes[i]);
                        }
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.warning("MQTTRA0015 " + session + ": subscribe failed: " + Paho.describe(failure));
                }
            }, properties);
        } catch (MqttException e) {
            LOG.warning("MQTTRA0015 " + session + ": subscribe failed: " + Paho.describe(e));
        }
    }

    void dispatch(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        received.incrementAndGet();
        MqttMessage received = Paho.fromPaho(session, topic, message);
        List<Integer> ids = identifiersOf(message);
        List<InboundSink> sinks = subscriptions.sinksFor(topic, ids);
        InboundSink.Acknowledgement ack = ackOnce(message.getId(), message.getQos(), sinks.size());
        if (sinks.isEmpty()) {
            // a subscription removed while a message was in flight, or a copy for a stale subscription an earlier
            // configuration left in the persistent session (its identifier is none of ours)
            if (!ids.isEmpty() && !subscriptions.sinksFor(topic).isEmpty()) {
                staleCopy(topic, ids);
            }
            ack.complete(InboundSink.Outcome.DELIVERED);
            return;
        }
        for (InboundSink sink : sinks) {
            try {
                sink.accept(received, ack);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTTRA0016 " + session + ": sink refused a message on " + topic, e);
                ack.complete(InboundSink.Outcome.UNDELIVERABLE);
            }
        }
    }

    private static List<Integer> identifiersOf(org.eclipse.paho.mqttv5.common.MqttMessage message) {
        MqttProperties p = message.getProperties();
        List<Integer> ids = p == null ? null : p.getSubscriptionIdentifiers();
        return ids == null ? List.of() : ids;
    }

    /** Logged at the first one per session and every 1,000th: an old subscription costs traffic until it expires. */
    private void staleCopy(String topic, List<Integer> ids) {
        long n = stale.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.info("MQTTRA0032 " + session + ": dropped " + n + " copies delivered for a subscription this session"
                    + " does not hold (subscription identifiers " + ids + ", e.g. on " + topic + "): an earlier"
                    + " configuration left it in the persistent session");
        }
    }

    /** An ack that reaches the broker once all {@code parties} have completed it; outcomes are counted. */
    private InboundSink.Acknowledgement ackOnce(int messageId, int qos, int parties) {
        AtomicInteger remaining = new AtomicInteger(Math.max(parties, 1));
        return outcome -> {
            switch (outcome) {
                case UNDELIVERABLE -> undeliverable.incrementAndGet();
                case DROPPED -> dropped.incrementAndGet();
                default -> { }
            }
            // QoS 2: Paho 1.2.5 sends PUBREC on arrival and PUBCOMP on PUBREL by itself; its manual ack for QoS 2
            // sends a stray PUBCOMP that stalls the flow (#994, #1023), so only QoS 1 is acknowledged by hand.
            if (remaining.decrementAndGet() == 0 && qos == 1) {
                try {
                    client.get().messageArrivedComplete(messageId, qos);
                } catch (MqttException | RuntimeException e) {
                    LOG.log(Level.FINE, "ack of message " + messageId + " on " + session + " failed", e);
                }
            }
        };
    }
}
