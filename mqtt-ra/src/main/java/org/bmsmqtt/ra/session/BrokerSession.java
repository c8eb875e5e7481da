package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.api.SessionStatusListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One MQTT v5 connection to one broker, kept alive by its own connect loop. The only class that talks to Paho.
 * <ul>
 * <li>Paho's automatic reconnect is off: it does not retry a failed first connect. We schedule every attempt.</li>
 * <li>Clean start is off and the session expiry is set, so the broker keeps QoS 1/2 messages while we are away;
 *     subscriptions are still restored after every connect in case the broker lost the session.</li>
 * <li>Acknowledgements are manual: a QoS 1 message is acknowledged when its sink runs the ack, after delivery.</li>
 * <li>Nothing blocking runs on Paho's callback thread: connect results are handed to the scheduler.</li>
 * </ul>
 */
public final class BrokerSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrokerSession.class.getName());

    private final BrokerSpec spec;
    private final ScheduledExecutorService scheduler;
    private final int bufferCapacity;
    private volatile MqttAsyncClient client;
    private final SubscriptionIndex<InboundSink> subscriptions = new SubscriptionIndex<>();
    private final java.util.Queue<String> newFilters = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean newFiltersScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
    private final List<SessionStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();

    private volatile SessionState state = SessionState.DISCONNECTED;
    private volatile String reason = "not started";
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;
    private volatile boolean closed;

    /** A publication waiting for the broker, with when it was accepted (for message expiry). */
    private record Buffered(Publication publication, long acceptedNanos) {
    }

    private static final int FILTERS_PER_SUBSCRIBE = 500;

    public BrokerSession(BrokerSpec spec, ScheduledExecutorService scheduler, int bufferCapacity) {
        this.spec = spec;
        this.scheduler = scheduler;
        this.bufferCapacity = bufferCapacity;
        this.client = newClient();
    }

    private MqttAsyncClient newClient() {
        try {
            MqttAsyncClient c = new MqttAsyncClient(spec.serverUri(), spec.clientId(), new MemoryPersistence());
            c.setManualAcks(true);
            c.setCallback(new Callback(c));
            return c;
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create MQTT client for " + spec + ": " + describe(e), e);
        }
    }

    /** Swaps in a fresh client when the old one stopped answering; the old one is closed off the loop's threads. */
    private void replaceClient() {
        MqttAsyncClient old = client;
        client = newClient();
        Thread closer = new Thread(() -> {
            try {
                old.disconnectForcibly(0, 1000, false);
                old.close(true);
            } catch (MqttException | RuntimeException e) {
                LOG.log(Level.FINE, "closing a stuck client of " + spec.name(), e);
            }
        }, "mqtt-ra-close-" + spec.name());
        closer.setDaemon(true);
        closer.start();
    }

    public BrokerSpec spec() {
        return spec;
    }

    /** Starts the connect loop and returns at once. */
    public void start() {
        later(this::attemptConnect);
    }

    public SessionStatus status() {
        int waiting;
        synchronized (buffer) {
            waiting = buffer.size();
        }
        return new SessionStatus(spec.name(), state, reason, since, lastError, lastErrorAt, received.get(),
                published.get(), waiting, expired.get(), undeliverable.get(), dropped.get(), reconnects.get());
    }

    public void addStatusListener(SessionStatusListener listener) {
        listeners.add(listener);
    }

    public void removeStatusListener(SessionStatusListener listener) {
        listeners.remove(listener);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Adds (or replaces) a subscription; it is made now if connected, and after every connect. */
    public void subscribe(String filter, int qos, InboundSink sink) {
        TopicFilters.validate(filter);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos: must be 0, 1 or 2, was " + qos);
        }
        subscriptions.put(new SubscriptionIndex.Entry<>(filter, qos, sink));
        newFilters.add(filter);
        if (state == SessionState.CONNECTED) {
            scheduleNewFilters(); // many subscribe calls in a row become few SUBSCRIBE packets
        } // else: connected() subscribes everything, then whatever came in meanwhile
    }

    private void scheduleNewFilters() {
        if (newFiltersScheduled.compareAndSet(false, true)) {
            later(this::sendNewFilters);
        }
    }

    public void unsubscribe(String filter) {
        if (subscriptions.remove(filter) && state == SessionState.CONNECTED) {
            later(() -> {
                if (closed) {
                    return; // the session went away first: nothing to unsubscribe from
                }
                try {
                    client.unsubscribe(filter);
                } catch (MqttException e) {
                    LOG.warning(() -> "MQTTRA0011 " + spec.name() + ": unsubscribe " + filter + " failed: " + describe(e));
                }
            });
        }
    }

    /**
     * Publishes now when connected; otherwise keeps the publication in a bounded buffer sent on the next connect.
     *
     * @throws IllegalStateException when the session is closed or the buffer is full
     */
    public void publish(Publication publication) {
        if (closed) {
            throw new IllegalStateException("session " + spec.name() + " is closed");
        }
        if (state != SessionState.CONNECTED) {
            synchronized (buffer) {
                if (state != SessionState.CONNECTED) {
                    if (buffer.size() >= bufferCapacity) {
                        throw new IllegalStateException("broker " + spec.name() + " is " + state
                                + " and its publish buffer is full (" + bufferCapacity + " messages)");
                    }
                    buffer.addLast(new Buffered(publication, System.nanoTime()));
                    return;
                }
            }
        }
        send(publication);
    }

    private void send(Publication publication) {
        send(publication, publication.messageExpirySeconds());
    }

    private void send(Publication publication, long expirySeconds) {
        org.eclipse.paho.mqttv5.common.MqttMessage message =
                new org.eclipse.paho.mqttv5.common.MqttMessage(publication.payload());
        message.setQos(publication.qos());
        message.setRetained(publication.retained());
        MqttProperties properties = new MqttProperties();
        if (!publication.userProperties().isEmpty()) {
            List<UserProperty> user = new ArrayList<>();
            publication.userProperties().forEach((k, v) -> user.add(new UserProperty(k, v)));
            properties.setUserProperties(user);
        }
        if (!publication.contentType().isEmpty()) {
            properties.setContentType(publication.contentType());
        }
        if (expirySeconds > 0) {
            properties.setMessageExpiryInterval(expirySeconds);
        }
        if (!publication.responseTopic().isEmpty()) {
            properties.setResponseTopic(publication.responseTopic());
        }
        if (publication.correlationData().length > 0) {
            properties.setCorrelationData(publication.correlationData());
        }
        message.setProperties(properties);
        try {
            client.publish(publication.topic(), message);
            published.incrementAndGet();
        } catch (MqttException e) {
            throw new IllegalStateException("publish to " + publication.topic() + " on " + spec.name() + " failed: "
                    + describe(e), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        setState(SessionState.DISCONNECTED, "closed");
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.log(Level.FINE, "disconnect of " + spec.name() + " failed", e);
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(Level.FINE, "close of " + spec.name() + " failed", e);
        }
        synchronized (buffer) {
            if (!buffer.isEmpty()) {
                LOG.warning("MQTTRA0012 " + spec.name() + ": closed with " + buffer.size() + " unsent publications");
                buffer.clear();
            }
        }
    }

    private void attemptConnect() {
        if (closed) {
            return;
        }
        setState(SessionState.CONNECTING, "connecting to " + String.join(", ", spec.serverUris()));
        long attempt = attempts.incrementAndGet();
        // Watchdog: an attempt that neither succeeds nor fails (seen once across a broker restart: the loop went
        // silent) is cut off, so the loop always goes on.
        afterSeconds(spec.connectTimeoutSeconds() + 5L, () -> {
            if (attempts.get() == attempt && state == SessionState.CONNECTING && !closed) {
                replaceClient();
                connectFailed(new IllegalStateException("no answer to the connect attempt within "
                        + (spec.connectTimeoutSeconds() + 5) + " s"));
            }
        });
        try {
            client.connect(options(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // connectComplete follows on the callback; nothing to do here
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    later(() -> {
                        if (attempts.get() == attempt) {
                            connectFailed(failure);
                        }
                    });
                }
            });
        } catch (MqttException | GeneralSecurityException | IOException | RuntimeException e) {
            connectFailed(e);
        } catch (Error e) {
            // an Error would end this scheduled task silently and with it the connect loop
            LOG.log(Level.SEVERE, "MQTTRA0018 " + spec.name() + ": connect attempt failed badly", e);
            connectFailed(e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    /** Runs on the adapter's scheduler; after the adapter stopped there is nothing left to run. */
    private void later(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "adapter stopping: task dropped for " + spec.name());
        }
    }

    private void afterSeconds(long seconds, Runnable task) {
        try {
            scheduler.schedule(task, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "adapter stopping: reconnect dropped for " + spec.name());
        }
    }

    private void connectFailed(Throwable failure) {
        if (closed) {
            return;
        }
        String why = describe(failure);
        if (!why.equals(reason) || state != SessionState.FAILED) {
            LOG.warning("MQTTRA0002 " + spec.name() + " (" + spec.serverUri() + "): connect failed: " + why
                    + "; retrying every " + spec.reconnectIntervalSeconds() + " s");
        }
        recordError(why);
        setState(SessionState.FAILED, why);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (!closed) {
            afterSeconds(spec.reconnectIntervalSeconds(), this::attemptConnect);
        }
    }

    private void connected() {
        if (closed) {
            return;
        }
        attempts.incrementAndGet(); // this attempt is over: its watchdog stands down
        if (connects.incrementAndGet() > 1) {
            reconnects.incrementAndGet();
        }
        LOG.info("MQTTRA0001 " + spec.name() + " connected to " + spec.serverUri() + " as " + spec.clientId());
        newFilters.clear(); // all of them go now; filters added from here on are queued again
        sendSubscribe(new ArrayList<>(subscriptions.all()));
        synchronized (buffer) {
            setState(SessionState.CONNECTED, "");
            if (!newFilters.isEmpty()) {
                scheduleNewFilters();
            }
            long now = System.nanoTime();
            while (!buffer.isEmpty()) {
                Buffered next = buffer.peekFirst();
                long expiry = next.publication().messageExpirySeconds();
                long waited = TimeUnit.NANOSECONDS.toSeconds(now - next.acceptedNanos());
                if (expiry > 0 && waited >= expiry) {
                    buffer.removeFirst();
                    expired.incrementAndGet();
                    continue;
                }
                try {
                    // MQTT 5: the expiry a receiver sees is what is left of it.
                    send(next.publication(), expiry > 0 ? expiry - waited : 0);
                    buffer.removeFirst();
                } catch (IllegalStateException e) {
                    LOG.warning("MQTTRA0013 " + spec.name() + ": buffered publication not sent yet: " + e.getMessage());
                    break;
                }
            }
        }
    }

    private void sendNewFilters() {
        newFiltersScheduled.set(false);
        if (state != SessionState.CONNECTED) {
            return; // kept: connected() sends them
        }
        List<SubscriptionIndex.Entry<InboundSink>> subs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String f; (f = newFilters.poll()) != null; ) {
            SubscriptionIndex.Entry<InboundSink> e = subscriptions.get(f);
            if (e != null && seen.add(f)) {
                subs.add(e);
            }
        }
        sendSubscribe(subs);
    }

    /** Subscribes in packets of at most FILTERS_PER_SUBSCRIBE filters (100,000 datapoint topics are 200 packets). */
    private void sendSubscribe(List<SubscriptionIndex.Entry<InboundSink>> subs) {
        for (int from = 0; from < subs.size(); from += FILTERS_PER_SUBSCRIBE) {
            sendSubscribePacket(subs.subList(from, Math.min(subs.size(), from + FILTERS_PER_SUBSCRIBE)));
        }
    }

    private void sendSubscribePacket(List<SubscriptionIndex.Entry<InboundSink>> subs) {
        if (subs.isEmpty() || closed) {
            return;
        }
        MqttSubscription[] mqttSubs = subs.stream()
                .map(s -> new MqttSubscription(s.filter(), s.qos()))
                .toArray(MqttSubscription[]::new);
        try {
            client.subscribe(mqttSubs, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    for (int i = 0; codes != null && i < codes.length && i < mqttSubs.length; i++) {
                        if (codes[i] >= 0x80) {
                            LOG.warning("MQTTRA0014 " + spec.name() + ": broker refused subscription "
                                    + mqttSubs[i].getTopic() + " with reason code " + codes[i]);
                        }
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.warning("MQTTRA0015 " + spec.name() + ": subscribe failed: " + describe(failure));
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.warning("MQTTRA0015 " + spec.name() + ": subscribe failed: " + describe(e));
        }
    }

    private MqttConnectionOptions options() throws GeneralSecurityException, IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setServerURIs(spec.serverUris().toArray(String[]::new));
        o.setAutomaticReconnect(false);
        // Resume the session: nothing the broker accepted is lost across a broker restart or a network cut.
        // (A clean first connect would drop stale subscriptions of an earlier run, but mosquitto 2.0.11 then does
        // not persist the session across its own restart: 4,365 of 10,000 messages lost in InboundReliabilityTest.)
        o.setCleanStart(false);
        o.setSessionExpiryInterval(spec.sessionExpirySeconds());
        o.setKeepAliveInterval(spec.keepAliveSeconds());
        o.setConnectionTimeout(spec.connectTimeoutSeconds());
        o.setReceiveMaximum(spec.receiveMaximum());
        o.setTopicAliasMaximum(0); // aliases + persisted QoS 1/2 send Paho into an endless reconnect loop (#1104)
        if (spec.usesTls()) {
            o.setSocketFactory(TlsContexts.socketFactory(spec.tls()));
            o.setHttpsHostnameVerificationEnabled(spec.tls().hostnameVerification());
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        if (!spec.username().isEmpty()) {
            o.setUserName(spec.username());
        }
        if (!spec.password().isEmpty()) {
            o.setPassword(spec.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    private void setState(SessionState newState, String why) {
        boolean changed = state != newState || !why.equals(reason);
        if (state != newState) {
            since = Instant.now();
        }
        state = newState;
        reason = why;
        if (changed && !listeners.isEmpty()) {
            SessionStatus snapshot = status();
            for (SessionStatusListener l : listeners) {
                try {
                    l.statusChanged(snapshot);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "MQTTRA0017 a status listener failed", e);
                }
            }
        }
    }

    private void recordError(String why) {
        lastError = why;
        lastErrorAt = Instant.now();
    }

    private void dispatch(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        received.incrementAndGet();
        Map<String, String> userProperties = Map.of();
        MqttProperties props = message.getProperties();
        if (props != null && props.getUserProperties() != null && !props.getUserProperties().isEmpty()) {
            userProperties = new HashMap<>();
            for (UserProperty p : props.getUserProperties()) {
                userProperties.put(p.getKey(), p.getValue());
            }
        }
        MqttMessage received = new MqttMessage(spec.name(), topic, message.getPayload(), message.getQos(),
                message.isRetained(), userProperties, props == null ? "" : props.getContentType(),
                props == null ? "" : props.getResponseTopic(), props == null ? null : props.getCorrelationData());
        List<InboundSink> sinks = subscriptions.sinksFor(topic);
        InboundSink.Acknowledgement ack = ackOnce(message.getId(), message.getQos(), sinks.size());
        if (sinks.isEmpty()) {
            ack.complete(InboundSink.Outcome.DELIVERED); // e.g. a subscription removed while a message was in flight
            return;
        }
        for (InboundSink sink : sinks) {
            try {
                sink.accept(received, ack);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTTRA0016 " + spec.name() + ": sink refused a message on " + topic, e);
                ack.complete(InboundSink.Outcome.UNDELIVERABLE);
            }
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
                    client.messageArrivedComplete(messageId, qos);
                } catch (MqttException | RuntimeException e) {
                    LOG.log(Level.FINE, "ack of message " + messageId + " on " + spec.name() + " failed", e);
                }
            }
        };
    }

    /** A reason a person can act on: MQTT reason code and text, plus the root cause. */
    static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        if (failure instanceof MqttException me && me.getReasonCode() == 0 && failure.getCause() != null) {
            sb.append("connection failed"); // Paho's "Untranslated MqttException": the cause below says it all
        } else if (failure instanceof MqttException me) {
            sb.append("MQTT reason code ").append(me.getReasonCode()).append(": ").append(me.getMessage());
        } else {
            sb.append(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage());
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != failure) {
            sb.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        return sb.toString();
    }

    /** Paho's callback: every method returns at once and never throws. */
    private final class Callback implements MqttCallback {

        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        /** Events of a client that was replaced no longer steer the session. */
        private boolean stale() {
            return owner != client;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (closed || stale()) {
                return;
            }
            String why = response.getException() != null ? describe(response.getException())
                    : "MQTT reason code " + response.getReturnCode() + ": " + response.getReasonString();
            LOG.warning("MQTTRA0003 " + spec.name() + ": connection lost: " + why + "; reconnecting in "
                    + spec.reconnectIntervalSeconds() + " s");
            recordError(why);
            setState(SessionState.DISCONNECTED, why);
            scheduleReconnect();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warning("MQTTRA0004 " + spec.name() + ": " + describe(exception));
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            try {
                dispatch(topic, message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTTRA0016 " + spec.name() + ": message on " + topic + " not dispatched", e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (!stale()) {
                later(BrokerSession.this::connected);
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
