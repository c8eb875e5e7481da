package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.MqttMessageListener;
import org.bmsmqtt.ra.session.InboundSink;
import org.bmsmqtt.ra.session.InboundSink.Acknowledgement;
import org.bmsmqtt.ra.session.InboundSink.Outcome;

import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ordered, parallel hand-off from the MQTT client's thread to message endpoints.
 * <p>
 * A message goes to the lane chosen by its broker and topic, so one topic's messages stay in order. A lane is
 * drained by at most one JCA {@link Work} at a time; lanes drain in parallel. Scheduling one Work per message would
 * reorder them (seen: 3, 1, 2). The ack runs only after the endpoint returned, so QoS 1/2 messages in a lane are
 * bounded by the session's receive maximum; QoS 0 messages beyond the lane capacity are dropped and counted.
 */
public final class DeliveryLanes implements InboundSink {

    private static final Logger LOG = Logger.getLogger(DeliveryLanes.class.getName());
    static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 50;
    private static final int BATCH = 500;

    private final WorkManager workManager;
    private final EndpointSource endpoints;
    private final ScheduledExecutorService scheduler;
    private final Lane[] lanes;
    private final int laneCapacity;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private record Pending(MqttMessage message, Acknowledgement ack) {
    }

    public DeliveryLanes(WorkManager workManager, EndpointSource endpoints, ScheduledExecutorService scheduler,
                         int laneCount, int laneCapacity) {
        if (laneCount < 1) {
            throw new IllegalArgumentException("deliveryLanes: must be at least 1, was " + laneCount);
        }
        this.workManager = workManager;
        this.endpoints = endpoints;
        this.scheduler = scheduler;
        this.laneCapacity = laneCapacity;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane();
        }
    }

    @Override
    public void accept(MqttMessage message, Acknowledgement ack) {
        Lane lane = lanes[Math.floorMod(31 * message.broker().hashCode() + message.topic().hashCode(), lanes.length)];
        if (message.qos() == 0 && lane.size.get() >= laneCapacity) {
            if (dropped.getAndIncrement() % 10_000 == 0) {
                LOG.warning("MQTTRA0021 delivery lane full: QoS 0 messages are being dropped (" + dropped.get()
                        + " so far); endpoints are slower than the broker");
            }
            ack.complete(Outcome.DROPPED);
            return;
        }
        lane.size.incrementAndGet();
        lane.queue.add(new Pending(message, ack));
        lane.kick();
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

    private final class Lane implements Work {
        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        final AtomicBoolean scheduled = new AtomicBoolean();

        void kick() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    workManager.scheduleWork(this);
                } catch (WorkException | RuntimeException e) {
                    scheduled.set(false);
                    LOG.log(Level.WARNING, "MQTTRA0022 could not schedule delivery work; retrying in 1 s", e);
                    scheduler.schedule(this::kick, 1, TimeUnit.SECONDS);
                }
            }
        }

        @Override
        public void run() {
            boolean retryLater = true;
            try {
                retryLater = drain();
            } finally {
                scheduled.set(false);
                // Not when a retry is already scheduled: that would spin (seen: 1.9 million Works a second).
                if (!retryLater && !queue.isEmpty()) {
                    kick();
                }
            }
        }

        /** Delivers up to a batch; true when no endpoint could take it and a retry is scheduled. */
        private boolean drain() {
            Optional<MessageEndpointFactory> factory = endpoints.current();
            if (factory.isEmpty()) {
                // No endpoint active yet (deployment still going on): keep the messages, unacknowledged.
                scheduler.schedule(this::kick, 500, TimeUnit.MILLISECONDS);
                return true;
            }
            MessageEndpoint endpoint = null;
            try {
                endpoint = factory.get().createEndpoint(null);
                for (int n = 0; n < BATCH; n++) {
                    Pending next = queue.peek();
                    if (next == null) {
                        return false;
                    }
                    Outcome outcome = deliver(endpoint, next.message());
                    queue.poll();
                    size.decrementAndGet();
                    next.ack().complete(outcome);
                }
                return false;
            } catch (UnavailableException e) {
                LOG.log(Level.FINE, "endpoint unavailable; retrying", e);
                scheduler.schedule(this::kick, 500, TimeUnit.MILLISECONDS);
                return true;
            } finally {
                if (endpoint != null) {
                    endpoint.release();
                }
            }
        }

        /** Delivers with back-off retries; after the last failed attempt the message is counted and given up. */
        private Outcome deliver(MessageEndpoint endpoint, MqttMessage message) {
            RuntimeException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    ((MqttMessageListener) endpoint).onMessage(message);
                    delivered.incrementAndGet();
                    return Outcome.DELIVERED;
                } catch (RuntimeException e) {
                    last = e;
                    if (attempt < ATTEMPTS) {
                        sleep(FIRST_BACKOFF_MS << (attempt - 1));
                    }
                }
            }
            undeliverable.incrementAndGet();
            LOG.log(Level.WARNING, "MQTTRA0020 " + message + " could not be delivered after " + ATTEMPTS
                    + " attempts; acknowledged and counted as undeliverable", last);
            return Outcome.UNDELIVERABLE;
        }

        @Override
        public void release() {
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
