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
 * that drains its queue, or - while the lane is idle, its endpoint has been quick and no publication waits in any
 * session - the MQTT client's own thread, which then delivers the message itself: no thread hop, no wake-up, no
 * queue (see {@link DeliveryLane#tryInline}). An endpoint that was slow once, fails, or finds the lane busy goes
 * through the lane's Work as before, so a slow or stuck endpoint never holds the client's thread more than once.
 * The ack runs only after the endpoint returned, so QoS 1/2 messages in a lane are bounded by the session's receive
 * maximum; QoS 0 messages beyond the lane capacity are dropped and counted.
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

    final long quickNanos;
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
        this(workManager, endpoints, scheduler, laneCount, laneCapacity, QUICK_NANOS);
    }

    /** {@code quickNanos}: a delivery quicker than this counts as quick (tests choose it). */
    DeliveryLanes(WorkManager workManager, EndpointSource endpoints, ScheduledExecutorService scheduler,
                  int laneCount, int laneCapacity, long quickNanos) {
        this.quickNanos = quickNanos;
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
        DeliveryLane lane = lanes[Math.floorMod(31 * message.broker().hashCode() + message.topic().hashCode(),
                lanes.length)];
        if (lane.tryInline(message, ack)) {
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

    void later(long millis, Runnable task) {
        try {
            scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("adapter stopping: delivery lane not restarted");
        }
    }
}
