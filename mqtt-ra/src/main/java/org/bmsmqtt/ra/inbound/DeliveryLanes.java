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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ordered, parallel hand-off from the MQTT client's thread to message endpoints.
 * <p>
 * A message goes to the lane chosen by its broker and topic, so one topic's messages stay in order; lanes deliver in
 * parallel. A lane is drained by at most one JCA {@link Work} at a time, which holds its message endpoint while it
 * runs and, when the queue is empty, parks for a while ({@value #LINGER_MILLIS} ms) before it gives its thread back:
 * under a steady flow a message costs the client's thread a queue offer and at most one unpark - not a Work scheduled
 * and an endpoint created per message (0.3-0.9 Works per message at 50,000 msg/s, and most of a relay's latency at
 * 1,000 msg/s). An idle lane holds no thread. Scheduling one Work per message would reorder them (seen: 3, 1, 2).
 * The ack runs only after the endpoint returned, so QoS 1/2 messages in a lane are bounded by the session's receive
 * maximum; QoS 0 messages beyond the lane capacity are dropped and counted.
 */
public final class DeliveryLanes implements InboundSink {

    private static final Logger LOG = Logger.getLogger(DeliveryLanes.class.getName());
    static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 50;
    /** How long a lane's Work waits for the next message before it gives its thread back. */
    static final long LINGER_MILLIS = 100;
    /** Messages handed to an endpoint in one call when that many wait (one container invocation for them all). */
    static final int BATCH = 64;
    /** How long a lane waits when no endpoint is active yet (deployment still going on) or it is unavailable. */
    private static final long NO_ENDPOINT_MS = 500;

    private final WorkManager workManager;
    private final EndpointSource endpoints;
    private final ScheduledExecutorService scheduler;
    private final Lane[] lanes;
    private final int laneCapacity;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopped;

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
            lanes[i] = new Lane(i);
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
        lane.wake();
    }

    /** Ends the lanes' Works; messages still queued stay unacknowledged (the broker sends QoS 1/2 again). */
    public void stop() {
        stopped = true;
        for (Lane lane : lanes) {
            lane.release();
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

    private final class Lane implements Work {
        final int index;
        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        /** 1 while a Work is scheduled or runs for this lane. */
        final AtomicInteger running = new AtomicInteger();
        volatile Thread thread;
        volatile boolean parked;
        volatile boolean released;
        /** Whether this lane hands batches to the endpoint (off while one fails as a whole: e.g. a container without it). */
        boolean batches = true;

        Lane(int index) {
            this.index = index;
        }

        void wake() {
            if (running.get() == 0) {
                start();
            } else if (parked) {
                Thread t = thread;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        void start() {
            if (stopped || !running.compareAndSet(0, 1)) {
                return;
            }
            released = false;
            try {
                workManager.scheduleWork(this, WorkManager.INDEFINITE, null, null);
            } catch (WorkException | RuntimeException e) {
                running.set(0);
                LOG.log(Level.WARNING, "MQTTRA0022 could not start delivery lane " + index + "; retrying in 1 s", e);
                later(TimeUnit.SECONDS.toMillis(1), this::start);
            }
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            MessageEndpointFactory factory = null;
            MessageEndpoint endpoint = null;
            boolean owner = true;
            try {
                while (!stopped && !released) {
                    Pending next = queue.peek();
                    if (next == null) {
                        if (lingerFor()) {
                            continue;
                        }
                        // About to end: give the lane up, then look once more, since a producer that saw this Work
                        // running did not start another one.
                        owner = false;
                        running.set(0);
                        if (!queue.isEmpty() && !stopped && !released && running.compareAndSet(0, 1)) {
                            owner = true;
                            continue;
                        }
                        return; // idle: the thread goes back; the next message starts a Work again
                    }
                    Optional<MessageEndpointFactory> current = endpoints.current();
                    if (current.isEmpty()) {
                        // No endpoint active yet (deployment still going on): keep the messages, unacknowledged.
                        pause(NO_ENDPOINT_MS);
                        continue;
                    }
                    if (endpoint == null || current.get() != factory) {
                        release(endpoint);
                        endpoint = null;
                        factory = current.get();
                        try {
                            endpoint = factory.createEndpoint(null);
                        } catch (UnavailableException e) {
                            LOG.log(Level.FINE, "endpoint unavailable; retrying", e);
                            pause(NO_ENDPOINT_MS);
                            continue;
                        }
                    }
                    deliverWaiting(endpoint, next);
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "MQTTRA0023 delivery lane " + index + " stopped by an error; restarting", e);
            } finally {
                release(endpoint);
                thread = null;
                if (owner) {
                    running.set(0);
                }
                if (owner && !stopped && !released && !queue.isEmpty()) {
                    later(FIRST_BACKOFF_MS, this::start); // ended by an error with messages left
                }
            }
        }

        /** Parks until a message comes or the linger time is over; true when there is something to deliver. */
        private boolean lingerFor() {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
            parked = true;
            try {
                // a message added before parked was set has not woken us: look before every park
                for (long left; queue.isEmpty() && !stopped && !released && (left = end - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                parked = false;
            }
            return !queue.isEmpty();
        }

        /** Waits {@code millis} (a back-off, or no endpoint yet), shorter only when the lanes stop. */
        private void pause(long millis) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left; !stopped && !released && (left = end - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(this, left);
            }
        }

        private void release(MessageEndpoint endpoint) {
            if (endpoint != null) {
                try {
                    endpoint.release();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "releasing an endpoint failed", e);
                }
            }
        }

        /**
         * Delivers what waits (up to {@value #BATCH}) in one call when there is more than one and the endpoint takes
         * batches; one by one otherwise, and after a batch failed. Acknowledges each after delivery, in order.
         */
        private void deliverWaiting(MessageEndpoint endpoint, Pending first) {
            if (batches && size.get() > 1) {
                List<Pending> batch = new ArrayList<>(Math.min(BATCH, size.get()));
                for (Pending p; batch.size() < BATCH && (p = queue.peek()) != null; ) {
                    batch.add(queue.poll());
                }
                List<MqttMessage> messages = new ArrayList<>(batch.size());
                batch.forEach(p -> messages.add(p.message()));
                boolean done;
                try {
                    ((MqttMessageListener) endpoint).onMessages(messages);
                    done = true;
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "a batch failed; delivering its messages one by one", e);
                    done = false;
                }
                boolean eachDelivered = true;
                for (Pending p : batch) {
                    Outcome outcome = done ? Outcome.DELIVERED : deliver(endpoint, p.message());
                    if (done) {
                        delivered.incrementAndGet();
                    }
                    eachDelivered &= outcome == Outcome.DELIVERED;
                    size.decrementAndGet();
                    p.ack().complete(outcome);
                }
                if (!done && eachDelivered) {
                    // every message went one by one, the batch did not: the endpoint does not take batches
                    batches = false;
                    LOG.info("MQTTRA0024 delivery lane " + index + ": the endpoint refused a batch its messages took "
                            + "one by one; this lane delivers one at a time from now on");
                }
                return;
            }
            Outcome outcome = deliver(endpoint, first.message());
            queue.poll();
            size.decrementAndGet();
            first.ack().complete(outcome);
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
                        pause(FIRST_BACKOFF_MS << (attempt - 1));
                    }
                }
            }
            undeliverable.incrementAndGet();
            LOG.log(Level.WARNING, "MQTTRA0020 " + message + " could not be delivered after " + ATTEMPTS
                    + " attempts; acknowledged and counted as undeliverable", last);
            return Outcome.UNDELIVERABLE;
        }

        /** Called by the work manager (or {@link #stop()}) to end the Work. */
        @Override
        public void release() {
            released = true;
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private void later(long millis, Runnable task) {
        try {
            scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("adapter stopping: delivery lane not restarted");
        }
    }
}
