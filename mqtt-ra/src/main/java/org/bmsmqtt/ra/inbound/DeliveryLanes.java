package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.session.InboundSink;
import org.bmsmqtt.ra.session.InboundSink.Outcome;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Ordered, parallel hand-off from the MQTT client's thread to message endpoints.
 * <p>
 * A message goes to the {@link DeliveryLane} chosen by its broker and topic, so one topic's messages stay in order;
 * lanes deliver in parallel. A lane is owned by one thread at a time: a JCA {@link jakarta.resource.spi.work.Work}
 * that drains its queue, or - while the lane is idle, its endpoint has been quick and every session's publish queue
 * is below half full - the MQTT client's own thread, which then delivers the message itself: no thread hop, no wake-up, no
 * queue (see {@link DeliveryLane#tryInline}). An endpoint that was slow once, fails, or finds the lane busy goes
 * through the lane's Work as before, so a slow or stuck endpoint never holds the client's thread more than once.
 * The ack runs only after the endpoint returned, so QoS 1/2 messages in a lane are bounded by the session's receive
 * maximum; QoS 0 messages beyond the lane capacity are dropped and counted.
 * <p>
 * Under saturation the client's thread stops delivering QoS 1/2 messages itself: when it spends more than
 * {@link #SATURATED} of its time in here ({@link Pace}), they go to the lanes' Works, which hand what waits to an
 * endpoint without a direct path in batches (one container invocation for up to {@value #BATCH} messages instead of
 * one each, measured at about a fifth of the CPU of a relayed message) and run beside the client's thread instead of
 * after it, so that it goes on reading and sending the acknowledgements and PUBACKs the broker's windows wait for.
 * The Works of lanes carrying QoS 1/2 stay while saturation lasts. QoS 0 messages stay inline: with nothing waiting
 * on the client's thread, the hop to a Work added a wake-up per message and a queue (relay benchmark, 2 cores: p50
 * at 8,000 msg/s 5-8 ms with the hop, 0.5-1.2 ms without, and a lower sustained rate).
 */
public final class DeliveryLanes implements InboundSink {

    private static final Logger LOG = Logger.getLogger(DeliveryLanes.class.getName());
    static final int ATTEMPTS = 5;
    static final long FIRST_BACKOFF_MS = 50;
    /** How long a lane's Work waits for the next message before it gives its thread back (slow endpoints only). */
    static final long LINGER_MILLIS = 100;
    /** Messages handed to an endpoint in one call when that many wait (one container invocation for them all). */
    static final int BATCH = 64;
    /** How long a lane waits when no endpoint is active yet (deployment still going on) or it is unavailable. */
    static final long NO_ENDPOINT_MS = 500;
    /** A delivery quicker than this counts as quick for {@link #QUICK_STREAK}. */
    static final long QUICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Deliveries in a row that must have been quick before the client's thread delivers itself. */
    static final int QUICK_STREAK = 16;
    /** Above this share of a client thread's time spent delivering, it only hands off (see the class comment). */
    static final double SATURATED = 0.75;
    /** Per MQTT client thread (one per session): how busy its deliveries keep it. */
    private static final ThreadLocal<Pace> PACE = ThreadLocal.withInitial(Pace::new);

    /**
     * Whether lanes use an endpoint's {@link org.bmsmqtt.ra.api.MqttMessageListener#directPath()} (system property
     * {@code org.bmsmqtt.ra.directPath}, default true).
     */
    final boolean directPaths = !"false".equalsIgnoreCase(System.getProperty("org.bmsmqtt.ra.directPath"));
    final long quickNanos;
    /** {@link #SATURATED}, or above 1 where a test wants the client's thread never counted as saturated. */
    private final double saturated;
    /** When a client thread was last found saturated (nanoTime; 0: never): lanes' Works linger while it is recent. */
    private volatile long saturatedAt;
    final WorkManager workManager;
    final EndpointSource endpoints;
    private final ScheduledExecutorService scheduler;
    private final DeliveryLane[] lanes;
    private final int laneCapacity;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    final AtomicLong inline = new AtomicLong();
    volatile boolean stopped;

    public DeliveryLanes(WorkManager workManager, EndpointSource endpoints, ScheduledExecutorService scheduler,
                         int laneCount, int laneCapacity) {
        this(workManager, endpoints, scheduler, laneCount, laneCapacity, QUICK_NANOS, saturatedShare());
    }

    /**
     * {@code quickNanos}: a delivery quicker than this counts as quick; {@code saturated}: the busy share above which
     * the client's thread only hands off (tests choose both).
     */
    DeliveryLanes(WorkManager workManager, EndpointSource endpoints, ScheduledExecutorService scheduler,
                  int laneCount, int laneCapacity, long quickNanos, double saturated) {
        this.quickNanos = quickNanos;
        this.saturated = saturated;
        if (laneCount < 1) {
            throw new IllegalArgumentException("deliveryLanes: must be at least 1, was " + laneCount);
        }
        this.workManager = workManager;
        this.endpoints = endpoints;
        this.scheduler = scheduler;
        this.laneCapacity = laneCapacity;
        this.lanes = new DeliveryLane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new DeliveryLane(this, i);
        }
    }

    @Override
    public void accept(MqttMessage message, Acknowledgement ack) {
        Pace pace = PACE.get();
        long start = System.nanoTime();
        // QoS 0 stays inline however busy the thread is: nothing of it waits on this thread (no ack to send, no
        // PUBACK of a report to take in), and the hop to a Work cost more than it saved (relay p50 at 8,000 msg/s
        // 5-8 ms with the hop, 0.5-1.2 ms without; the class comment).
        boolean saturatedNow = message.qos() > 0 && pace.busy > saturated;
        if (saturatedNow) {
            stillSaturated();
        }
        try {
            handOff(message, ack, saturatedNow);
        } finally {
            pace.took(start, System.nanoTime());
        }
    }

    /**
     * {@value #SATURATED} unless the system property {@code org.bmsmqtt.ra.saturated} says otherwise (a share; above 1:
     * the client's thread delivers itself however busy it is, as before 2026-12).
     */
    private static double saturatedShare() {
        try {
            return Double.parseDouble(System.getProperty("org.bmsmqtt.ra.saturated", Double.toString(SATURATED)));
        } catch (NumberFormatException e) {
            LOG.warning("MQTTRA0025 org.bmsmqtt.ra.saturated is not a number; using " + SATURATED);
            return SATURATED;
        }
    }

    /** Saturation seen now: by a client thread, or by a Work that found several messages waiting. */
    void stillSaturated() {
        saturatedAt = System.nanoTime() | 1;
    }

    /** Whether a client thread was saturated less than {@link #LINGER_MILLIS} ago: a lane's Work then stays. */
    boolean saturatedRecently() {
        long at = saturatedAt;
        return at != 0 && System.nanoTime() - at < TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    }

    private void handOff(MqttMessage message, Acknowledgement ack, boolean saturatedNow) {
        DeliveryLane lane = lanes[Math.floorMod(31 * message.broker().hashCode() + message.topic().hashCode(),
                lanes.length)];
        if (!saturatedNow && lane.tryInline(message, ack)) {
            return;
        }
        if (message.qos() == 0 && lane.size() >= laneCapacity) {
            if (dropped.getAndIncrement() % 10_000 == 0) {
                LOG.warning("MQTTRA0021 delivery lane full: QoS 0 messages are being dropped (" + dropped.get()
                        + " so far); endpoints are slower than the broker");
            }
            ack.complete(Outcome.DROPPED);
            return;
        }
        lane.add(message, ack);
    }

    /** Ends the lanes' Works; messages still queued stay unacknowledged (the broker sends QoS 1/2 again). */
    public void stop() {
        stopped = true;
        for (DeliveryLane lane : lanes) {
            lane.release();
        }
    }

    /**
     * The endpoint factory went away (undeployed): lanes give back the endpoints of it they keep between messages,
     * now if idle, otherwise when their current owner is done.
     */
    public void endpointGone(MessageEndpointFactory factory) {
        for (DeliveryLane lane : lanes) {
            lane.endpointGone(factory);
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long undeliverable() {
        return undeliverable.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Messages delivered on the MQTT client's own thread (no hand-off to a Work). */
    public long deliveredInline() {
        return inline.get();
    }

    /**
     * A client thread's share of time spent in {@link #accept}, smoothed over about the last 20 messages: the time in
     * it against the time since the previous call ended. Only that thread touches it.
     */
    private static final class Pace {
        private long lastEnd;
        double busy;

        void took(long start, long end) {
            if (lastEnd != 0) {
                long took = end - start;
                long idle = Math.max(0, start - lastEnd);
                busy += ((double) took / Math.max(1, took + idle) - busy) * 0.05;
            }
            lastEnd = end;
        }
    }

    void later(long millis, Runnable task) {
        try {
            scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("adapter stopping: delivery lane not restarted");
        }
    }
}
