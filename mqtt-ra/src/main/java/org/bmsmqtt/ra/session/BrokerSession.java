package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.Availability;
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
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
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
 * <li>Publications go through an {@link OutboundQueue}: a full in-flight window is a wait, not a loss.</li>
 * </ul>
 */
public final class BrokerSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrokerSession.class.getName());

    private final BrokerSpec spec;
    private final ScheduledExecutorService scheduler;
    private final PahoWire wire;
    private final OutboundQueue outbound;
    private final RefusalLog connectFailures;
    private volatile MqttAsyncClient client;
    private final Inbound inbound;
    private final List<SessionStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();

    private volatile SessionState state = SessionState.DISCONNECTED;
    private volatile String reason = "not started";
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;
    private volatile boolean closed;

    /**
     * @param bufferCapacity   publications that may wait for the broker (while it is away or its window is full)
     * @param publishWaitMillis how long a publisher waits for room in a full queue while connected (back-pressure)
     */
    public BrokerSession(BrokerSpec spec, ScheduledExecutorService scheduler, int bufferCapacity, long publishWaitMillis) {
        this.spec = spec;
        this.scheduler = scheduler;
        this.wire = new PahoWire(spec.name(), () -> client, scheduler, this::publicationFailed);
        this.outbound = new OutboundQueue(spec.name(), wire, scheduler, bufferCapacity, publishWaitMillis);
        this.connectFailures = new RefusalLog(LOG, "MQTTRA0002 " + spec.name() + " (" + spec.serverUri() + ")",
                "connect failed", "; retrying every " + spec.reconnectIntervalSeconds() + " s");
        this.inbound = new Inbound(spec.name(), () -> client, this::later,
                () -> state == SessionState.CONNECTED, () -> closed);
        this.client = newClient();
    }

    private MqttAsyncClient newClient() {
        try {
            MqttAsyncClient c = new MqttAsyncClient(spec.serverUri(), spec.clientId(), new MemoryPersistence());
            c.setManualAcks(true);
            c.setCallback(new Callback(c));
            return c;
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create MQTT client for " + spec + ": " + Paho.describe(e), e);
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
        return new SessionStatus(spec.name(), state, reason, since, lastError, lastErrorAt, inbound.received(),
                outbound.published(), outbound.waiting(), outbound.expired(), inbound.undeliverable(), inbound.dropped(),
                reconnects.get(), outbound.refused());
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

    /**
     * Publishes now when connected and the broker's window has room; otherwise the publication waits in order in a
     * bounded queue (sent on the next connect, or when a slot is free). A caller of a connected session whose queue is
     * full waits a bounded time for room.
     *
     * @throws IllegalStateException when the session is closed or the queue stayed full
     */
    public void publish(Publication publication) {
        outbound.publish(publication);
    }

    /** Adds (or replaces) a subscription; it is made now if connected, and after every connect. */
    public void subscribe(String filter, int qos, InboundSink sink) {
        inbound.subscribe(filter, qos, sink);
    }

    public void unsubscribe(String filter) {
        inbound.unsubscribe(filter);
    }

    private void publicationFailed(String why) {
        outbound.failed(why);
    }

    @Override
    public void close() {
        closed = true;
        outbound.disconnected();
        setState(SessionState.DISCONNECTED, "closed");
        try {
            if (client.isConnected()) {
                publishOffline();
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
        int unsent = outbound.close();
        if (unsent > 0) {
            LOG.warning("MQTTRA0012 " + spec.name() + ": closed with " + unsent + " unsent publications");
        }
    }

    /**
     * A clean close says {@code offline} itself: the broker discards the will on a normal DISCONNECT. Bounded: a
     * broker that does not acknowledge within 2 s does not hold up the close (the will is then discarded too).
     */
    private void publishOffline() {
        Availability availability = spec.availability();
        if (!availability.enabled()) {
            return;
        }
        try {
            client.publish(availability.topic(), Paho.availabilityMessage(availability.offline())).waitForCompletion(2000);
        } catch (MqttException | RuntimeException e) {
            LOG.warning("MQTTRA0033 " + spec.name() + ": offline message on " + availability.topic()
                    + " not delivered before the close: " + Paho.describe(e));
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
            client.connect(Paho.options(spec), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // connectComplete follows on this thread (Paho calls it right after), so this is set before
                    // connected() subscribes
                    inbound.identifiersAvailable(Paho.identifiersAvailable(token));
                    wire.window(Paho.receiveMaximum(token));
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
        String why = Paho.describe(failure);
        connectFailures.refused(why);
        recordError(why);
        setState(SessionState.FAILED, why);
        outbound.disconnected();
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
        connectFailures.reset();
        attempts.incrementAndGet(); // this attempt is over: its watchdog stands down
        if (connects.incrementAndGet() > 1) {
            reconnects.incrementAndGet();
        }
        LOG.info("MQTTRA0001 " + spec.name() + " connected to " + spec.serverUri() + " as " + spec.clientId());
        inbound.subscribeAll();
        setState(SessionState.CONNECTED, "");
        inbound.subscribeNewFilters();
        Availability availability = spec.availability();
        if (availability.enabled()) {
            // the birth replaces the will a crash of an earlier connection left retained; before what waited
            outbound.publishFirst(Publication.of(availability.topic(), availability.online(), 1, true));
        }
        outbound.connected(); // what waited goes now, in order
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
            String why = response.getException() != null ? Paho.describe(response.getException())
                    : "MQTT reason code " + response.getReturnCode() + ": " + response.getReasonString();
            LOG.warning("MQTTRA0003 " + spec.name() + ": connection lost: " + why + "; reconnecting in "
                    + spec.reconnectIntervalSeconds() + " s");
            recordError(why);
            setState(SessionState.DISCONNECTED, why);
            outbound.disconnected();
            scheduleReconnect();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warning("MQTTRA0004 " + spec.name() + ": " + Paho.describe(exception));
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            PublishBacklog.markCallbackThread(); // a lane may deliver here: its publishes never wait for room
            try {
                inbound.dispatch(topic, message);
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
