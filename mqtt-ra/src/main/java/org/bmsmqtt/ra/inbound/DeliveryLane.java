package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.session.InboundSink.Acknowledgement;
import org.bmsmqtt.ra.session.InboundSink.Outcome;
import org.bmsmqtt.ra.session.PublishBacklog;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.bmsmqtt.ra.inbound.DeliveryLanes.ATTEMPTS;
import static org.bmsmqtt.ra.inbound.DeliveryLanes.BATCH;
import static org.bmsmqtt.ra.inbound.DeliveryLanes.FIRST_BACKOFF_MS;
import static org.bmsmqtt.ra.inbound.DeliveryLanes.LINGER_MILLIS;
import static org.bmsmqtt.ra.inbound.DeliveryLanes.NO_ENDPOINT_MS;
import static org.bmsmqtt.ra.inbound.DeliveryLanes.QUICK_STREAK;

/**
 * One lane of {@link DeliveryLanes}: its queue, its endpoint (kept between messages) and its owner. At most one
 * thread owns the lane ({@code owned} 1) and only the owner touches the endpoint: the lane's {@link Work}, which
 * drains the queue (in batches when messages wait, with retries and back-off), or the MQTT client's thread delivering
 * one message itself ({@link #tryInline}) while the queue is empty. Scheduling one Work per message would reorder
 * them (seen: 3, 1, 2).
 */
final class DeliveryLane implements Work {

    /** Batches refused in a row (each message then delivered alone) before a lane stops making batches. */
    static final int REFUSALS = 3;

    private static final Logger LOG = Logger.getLogger(DeliveryLane.class.getName());

    /** {@code attempts}: how many deliveries of it failed already (a failed inline delivery goes on here). */
    private record Pending(MqttMessage message, Acknowledgement ack, int attempts) {
    }

    private final DeliveryLanes lanes;
    private final int index;
    private final Deque<Pending> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    /** 1 while a thread owns the lane: a Work scheduled or running, or an inline delivery. */
    private final AtomicInteger owned = new AtomicInteger();
    private volatile Thread thread;
    private volatile boolean parked;
    private volatile boolean released;
    /** Deliveries in a row that were quick (DeliveryLanes#quickNanos); written by the owner only. */
    private volatile int quick;
    /** Owner only: the QoS of the last message delivered; only a lane of QoS 1/2 stays for saturation. */
    private int lastQos;
    /** Owner only (but for endpointGone): the endpoint kept between messages. */
    private final LaneEndpoint endpoint;
    /** Owner only: batches the endpoint refused in a row while it took their messages one by one. */
    private int refusedBatches;

    DeliveryLane(DeliveryLanes lanes, int index) {
        this.lanes = lanes;
        this.index = index;
        this.endpoint = new LaneEndpoint(lanes);
    }

    int size() {
        return size.get();
    }

    void add(MqttMessage message, Acknowledgement ack) {
        size.incrementAndGet();
        queue.add(new Pending(message, ack, 0));
        if (owned.get() == 0) {
            start();
        } else if (parked) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Delivers on the caller's (the MQTT client's) thread when the lane is idle and nothing waits in it, its endpoint
     * was quick the last {@value DeliveryLanes#QUICK_STREAK} times, and the sessions' publish backlog is below half
     * of every queue ({@link PublishBacklog#roomy()}: above it, the lanes' Works wait for room, which is the
     * back-pressure that reaches the broker; the client's thread, which frees room, never waits). False: the caller queues it.
     * A failure goes on in the lane's Work (retries with back-off, in order), never on the caller's thread.
     */
    boolean tryInline(MqttMessage message, Acknowledgement ack) {
        if (quick < QUICK_STREAK || lanes.stopped || !queue.isEmpty() || !PublishBacklog.roomy()
                || !owned.compareAndSet(0, 1)) {
            return false;
        }
        if (!queue.isEmpty()) { // queued just before we took the lane: it goes first, by the Work
            size.incrementAndGet();
            queue.add(new Pending(message, ack, 0));
            scheduleOwned();
            return true;
        }
        if (!endpoint.ready()) {
            size.incrementAndGet();
            queue.add(new Pending(message, ack, 0));
            scheduleOwned();
            return true;
        }
        long t0 = System.nanoTime();
        boolean done;
        try {
            lastQos = message.qos();
            endpoint.call(message);
            done = true;
        } catch (RuntimeException | Error ex) { // never into the client's callback
            LOG.log(Level.FINE, "delivery failed; retrying in the lane", ex);
            done = false;
        }
        took(System.nanoTime() - t0);
        if (!done) {
            size.incrementAndGet();
            queue.addFirst(new Pending(message, ack, 1)); // ahead of anything queued meanwhile
            scheduleOwned();
            return true;
        }
        lanes.delivered.incrementAndGet();
        lanes.inline.incrementAndGet();
        ack.complete(Outcome.DELIVERED);
        giveUp();
        return true;
    }

    /** The owner (not the Work: see run) gives the lane up; what was queued meanwhile gets a Work. */
    private void giveUp() {
        if (lanes.stopped) {
            endpoint.drop();
        }
        owned.set(0);
        if (!queue.isEmpty() && !lanes.stopped) {
            start();
        }
    }

    private void start() {
        if (lanes.stopped || !owned.compareAndSet(0, 1)) {
            return;
        }
        scheduleOwned();
    }

    /** With the lane owned: a Work takes it over. */
    private void scheduleOwned() {
        released = false;
        try {
            lanes.workManager.scheduleWork(this, WorkManager.INDEFINITE, null, null);
        } catch (WorkException | RuntimeException e) {
            owned.set(0);
            LOG.log(Level.WARNING, "MQTTRA0022 could not start delivery lane " + index + "; retrying in 1 s", e);
            lanes.later(TimeUnit.SECONDS.toMillis(1), this::start);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        boolean owner = true;
        try {
            while (!lanes.stopped && !released) {
                Pending next = queue.peek();
                if (next == null) {
                    if ((quick < QUICK_STREAK || !PublishBacklog.roomy() || lastQos > 0 && lanes.saturatedRecently())
                            && lingerFor()) {
                        // The next message cannot (or, at QoS 1/2 under saturation, should not) go inline: stay a
                        // while. A QoS 0 lane does not stay for saturation: its messages go inline again (a Work
                        // that stayed woke up for each; the hand-offs fed the saturation that kept it).
                        continue;
                    }
                    // About to end: give the lane up, then look once more, since a producer that saw this Work
                    // running did not start another one.
                    owner = false;
                    owned.set(0);
                    if (!queue.isEmpty() && !lanes.stopped && !released && owned.compareAndSet(0, 1)) {
                        owner = true;
                        continue;
                    }
                    return; // idle: the thread goes back; the next message is delivered inline or starts a Work
                }
                if (!endpoint.ready()) {
                    // No endpoint active yet (deployment still going on): keep the messages, unacknowledged.
                    pause(NO_ENDPOINT_MS);
                    continue;
                }
                deliverWaiting(next);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "MQTTRA0023 delivery lane " + index + " stopped by an error; restarting", e);
            endpoint.drop();
        } finally {
            thread = null;
            if (owner) {
                if (lanes.stopped || released) {
                    endpoint.drop();
                }
                owned.set(0);
                if (!lanes.stopped && !released && !queue.isEmpty()) {
                    lanes.later(FIRST_BACKOFF_MS, this::start); // ended by an error with messages left
                }
            }
        }
    }

    /** The factory was deactivated: its endpoint goes back as soon as the lane is idle. */
    void endpointGone(MessageEndpointFactory gone) {
        if (!endpoint.isFrom(gone) || lanes.stopped) {
            return;
        }
        if (owned.compareAndSet(0, 1)) {
            if (endpoint.isFrom(gone)) {
                endpoint.drop();
            }
            giveUp();
        } else {
            lanes.later(LINGER_MILLIS, () -> endpointGone(gone));
        }
    }

    private void took(long nanos) {
        took(nanos, 1);
    }

    /** {@code messages} delivered in {@code nanosEach} each (a batch counts as its messages). */
    private void took(long nanosEach, int messages) {
        quick = nanosEach < lanes.quickNanos ? Math.min(quick + messages, QUICK_STREAK) : 0;
    }

    /** Parks until a message comes or the linger time is over; true when there is something to deliver. */
    private boolean lingerFor() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        parked = true;
        try {
            // a message added before parked was set has not woken us: look before every park
            for (long left; queue.isEmpty() && !lanes.stopped && !released && (left = end - System.nanoTime()) > 0; ) {
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
        for (long left; !lanes.stopped && !released && (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(this, left);
        }
    }

    /**
     * Delivers what waits (up to {@value DeliveryLanes#BATCH}) in one call when there is more than one and the
     * endpoint takes batches; one by one otherwise: a failed batch's messages, and every message once the endpoint
     * refused {@value #REFUSALS} batches in a row. Acknowledges each after delivery, in order. An endpoint with a
     * direct path gets no batches: there is no container call to save, and one message that fails is then retried
     * alone instead of its whole batch again.
     */
    private void deliverWaiting(Pending first) {
        lastQos = first.message().qos();
        if (first.attempts() == 0 && size.get() > 1 && lastQos > 0) {
            lanes.stillSaturated(); // QoS 1/2 pile up faster than one by one: the Works stay, the client hands off
        }
        if (refusedBatches < REFUSALS && !endpoint.hasDirectPath() && first.attempts() == 0 && size.get() > 1) {
            List<Pending> batch = new ArrayList<>(Math.min(BATCH, size.get()));
            for (Pending p; batch.size() < BATCH && (p = queue.peek()) != null && p.attempts() == 0; ) {
                batch.add(queue.poll());
            }
            List<MqttMessage> messages = new ArrayList<>(batch.size());
            batch.forEach(p -> messages.add(p.message()));
            boolean done;
            long t0 = System.nanoTime();
            try {
                endpoint.callBatch(messages);
                done = true;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "a batch failed; delivering its messages one by one", e);
                done = false;
            }
            took(done ? (System.nanoTime() - t0) / batch.size() : Long.MAX_VALUE, batch.size()); // per message
            boolean eachDelivered = true;
            for (Pending p : batch) {
                Outcome outcome = done ? Outcome.DELIVERED : deliver(p);
                if (done) {
                    lanes.delivered.incrementAndGet();
                }
                eachDelivered &= outcome == Outcome.DELIVERED;
                size.decrementAndGet();
                p.ack().complete(outcome);
            }
            // Every message went one by one, the batch did not: the endpoint may not take batches (a container that
            // only knows onMessage), or one message failed once. Batches stop after REFUSALS such batches in a row.
            refusedBatches = done ? 0 : eachDelivered ? refusedBatches + 1 : refusedBatches;
            if (!done && eachDelivered && refusedBatches == REFUSALS) {
                LOG.info("MQTTRA0024 delivery lane " + index + ": the endpoint refused " + REFUSALS
                        + " batches in a row whose messages it took one by one; this lane delivers one at a time"
                        + " from now on");
            }
            return;
        }
        Outcome outcome = deliver(first);
        queue.poll();
        size.decrementAndGet();
        first.ack().complete(outcome);
    }

    /**
     * Delivers with back-off retries (50, 100, 200, 400 ms before attempts 2-5, counting attempts made before it
     * came here); after the last failed attempt the message is counted and given up.
     */
    private Outcome deliver(Pending p) {
        RuntimeException last = null;
        for (int attempt = p.attempts() + 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause(FIRST_BACKOFF_MS << (attempt - 2));
            }
            long t0 = System.nanoTime();
            try {
                endpoint.call(p.message());
                took(System.nanoTime() - t0);
                lanes.delivered.incrementAndGet();
                return Outcome.DELIVERED;
            } catch (RuntimeException e) {
                took(Long.MAX_VALUE);
                last = e;
            }
        }
        lanes.undeliverable.incrementAndGet();
        LOG.log(Level.WARNING, "MQTTRA0020 " + p.message() + " could not be delivered after " + ATTEMPTS
                + " attempts; acknowledged and counted as undeliverable", last);
        return Outcome.UNDELIVERABLE;
    }

    /** Called by the work manager (or {@link DeliveryLanes#stop()}) to end the Work. */
    @Override
    public void release() {
        released = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        if (lanes.stopped && owned.compareAndSet(0, 1)) {
            endpoint.drop(); // stays owned: a stopped lane takes nothing more
        }
    }
}
