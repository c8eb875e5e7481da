package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.Publication;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The outbound side of one session: a publication goes to the client at once while the connection is up and the
 * broker's window has room; otherwise it waits here, in order, until the broker is back or a slot is free.
 * <p>
 * Why: a stock mosquitto lets a client have 20 QoS 1/2 publications in flight (Receive Maximum 20), and Paho refuses
 * the 21st with reason code 32202 instead of queueing it. Handing that refusal to the caller lost 6-14 % of the reports
 * of a 1,000 msg/s relay. Here it is a wait, not a loss. What is bounded and visible:
 * <ul>
 * <li>at most {@code capacity} publications wait; when the queue is full a caller on a connected session waits up
 *     to {@code waitMillis} for room (back-pressure: the inbound side slows down, QoS 1 acknowledgements go out
 *     later, the broker holds back), then the publication is refused (counted, the one visible refusal);</li>
 * <li>at most {@link #MAX_OUTSTANDING} publications are with the client at once (Paho's own queue is unbounded for
 *     QoS 0), so memory stays bounded;</li>
 * <li>message expiry is honoured while waiting, and what is left of it is sent along.</li>
 * </ul>
 * A single FIFO keeps the order of QoS 0, 1 and 2 publications alike (per topic and overall).
 */
final class OutboundQueue {

    private static final Logger LOG = Logger.getLogger(OutboundQueue.class.getName());
    /** Publications handed to the client and not yet written (QoS 0) or acknowledged (QoS 1/2). */
    static final int MAX_OUTSTANDING = 1000;
    /** When the client refused for a full window and none of our publications is due to complete, look again after this. */
    private static final long RETRY_MILLIS = 2;

    /** What the queue needs from the client. */
    interface Wire {
        /**
         * Hands the publication to the client; {@code done} runs once when the client is finished with it (written,
         * acknowledged, or failed).
         */
        Sent send(Publication publication, long expirySeconds, Runnable done);

        /** Runs {@code task} after {@code millis} off the caller's thread. */
        void later(long millis, Runnable task);
    }

    /** What became of a hand-off to the client. */
    enum Sent { SENT, WINDOW_FULL, NOT_CONNECTED }

    private record Waiting(Publication publication, long acceptedNanos) {
    }

    private final String session;
    private final Wire wire;
    private final Executor executor;
    private final int capacity;
    private final long waitNanos;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile int waitingCount;
    /** Whether half the capacity or more waits (counted in {@link PublishBacklog}); with the lock held. */
    private boolean crowded;
    private volatile boolean connected;
    private volatile boolean closed;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final RefusalLog refusals;

    OutboundQueue(String session, Wire wire, Executor executor, int capacity, long waitMillis) {
        this.session = session;
        this.wire = wire;
        this.executor = executor;
        this.capacity = capacity;
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
        this.refusals = new RefusalLog(LOG, "MQTTRA0030 " + session);
    }

    /**
     * Sends now or queues; waits for room while connected and full. On an MQTT client's callback thread it never
     * waits: that thread takes the completions that free room (see {@link PublishBacklog}); connected and full, its
     * publication goes over the capacity instead (one delivery's reports at most, since lanes deliver there only
     * while every queue is below half full).
     *
     * @throws IllegalStateException when closed, or the queue stayed full (the message says which)
     */
    void publish(Publication publication) {
        boolean retry = false;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("session " + session + " is closed");
            }
            if (connected && !queue.isEmpty()) {
                // What waits goes first, sent by this publisher as far as the window has room: under a full window
                // (a stock broker's Receive Maximum) a freed slot is taken here, not after a hop to the executor.
                retry = sendWaiting();
            }
            if (connected && queue.isEmpty() && outstanding.get() < MAX_OUTSTANDING
                    && handOff(publication, publication.messageExpirySeconds()) == Sent.SENT) {
                return;
            }
            boolean overCapacity = queue.size() >= capacity && connected && PublishBacklog.onCallbackThread();
            if (queue.size() >= capacity && connected && waitNanos > 0 && !overCapacity) {
                long deadline = System.nanoTime() + waitNanos;
                for (long left = waitNanos; queue.size() >= capacity && connected && !closed && left > 0;
                     left = deadline - System.nanoTime()) {
                    awaitRoom(left);
                }
            }
            if (closed) {
                throw new IllegalStateException("session " + session + " is closed");
            }
            if (queue.size() >= capacity && !overCapacity) {
                refused.incrementAndGet();
                String why = connected ? "the broker takes publications slower than they come and the publish queue "
                        + "is full (" + capacity + " messages)" : "the broker is away and its publish buffer is full ("
                        + capacity + " messages)";
                refusals.refused(why);
                throw new IllegalStateException("broker " + session + ": " + why);
            }
            queue.addLast(new Waiting(publication, System.nanoTime()));
            waiting(queue.size());
        }
        // Who sends it: a completion of ours (each one drains, and reads waitingCount after its decrement, so one of
        // them or this check sees the other), the next publisher, or, with nothing of ours in flight, the executor.
        if (connected && (retry || outstanding.get() == 0)) {
            scheduleDrain(retry ? RETRY_MILLIS : 0);
        }
    }

    private void awaitRoom(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the publish queue of " + session, e);
        }
    }

    /** Called with the lock held. */
    private Sent handOff(Publication p, long expirySeconds) {
        AtomicBoolean once = new AtomicBoolean();
        outstanding.incrementAndGet();
        Sent sent;
        try {
            sent = wire.send(p, expirySeconds, () -> {
                if (once.compareAndSet(false, true)) {
                    completed();
                }
            });
        } catch (RuntimeException e) {
            outstanding.decrementAndGet();
            throw e;
        }
        if (sent == Sent.SENT) {
            published.incrementAndGet();
        } else if (once.compareAndSet(false, true)) {
            outstanding.decrementAndGet();
        }
        return sent;
    }

    /**
     * A publication left the client: a slot is free, taken at once by what waits. Runs on the client's callback
     * thread, which sends the next waiting publication itself (never waiting for more than the queue's lock): a hop
     * to the executor per completion cost a thread wake-up per relayed message while a stock broker's window (20)
     * was full. Inside a send of ours (a client that completes on the caller's thread) it goes to the executor.
     */
    private void completed() {
        outstanding.decrementAndGet();
        if (waitingCount > 0 && connected) {
            if (Thread.holdsLock(this)) {
                scheduleDrain(0);
            } else {
                drain();
            }
        }
    }

    /** A publication the client gave up on (its connection dropped before it was written, or the broker refused it). */
    void failed(String why) {
        failed.incrementAndGet();
        refusals.refused(why);
    }

    private void scheduleDrain(long millis) {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        Runnable task = () -> {
            drainScheduled.set(false);
            drain();
        };
        try {
            if (millis == 0) {
                executor.execute(task);
            } else {
                wire.later(millis, task);
            }
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false); // the adapter is stopping
        }
    }

    /** Sends what waits, in order, while the window has room. */
    void drain() {
        boolean retry;
        synchronized (this) {
            retry = sendWaiting();
        }
        if (retry) {
            scheduleDrain(RETRY_MILLIS);
        }
    }

    /**
     * With the lock held: sends what waits, in order, while the window has room; true when only a timer can send the
     * rest (the client's window is full and none of our publications is due to complete).
     */
    private boolean sendWaiting() {
        boolean retry = false;
        {
            long now = System.nanoTime();
            while (connected && !queue.isEmpty()) {
                Waiting next = queue.peekFirst();
                long expiry = next.publication().messageExpirySeconds();
                long waited = TimeUnit.NANOSECONDS.toSeconds(now - next.acceptedNanos());
                if (expiry > 0 && waited >= expiry) {
                    queue.removeFirst();
                    expired.incrementAndGet();
                    continue;
                }
                if (outstanding.get() >= MAX_OUTSTANDING) {
                    break; // a completion drains again
                }
                // MQTT 5: the expiry a receiver sees is what is left of it.
                Sent sent;
                try {
                    sent = handOff(next.publication(), expiry > 0 ? expiry - waited : 0);
                } catch (IllegalStateException e) {
                    // the client refused this one for good: counted and logged, and neither blocks what follows nor
                    // fails a publisher that only sends what waited ahead of its own
                    queue.removeFirst();
                    failed(e.getMessage());
                    continue;
                }
                if (sent != Sent.SENT) {
                    // A completion of ours wakes the queue; only when none is due (the window is full of what
                    // Paho resends after a reconnect) does a timer look again.
                    retry = sent == Sent.WINDOW_FULL && outstanding.get() == 0;
                    break;
                }
                queue.removeFirst();
            }
            waiting(queue.size());
            if (queue.size() < capacity) {
                notifyAll();
            }
        }
        return retry;
    }

    /**
     * Puts a publication in front of everything that waits, whatever the capacity: the birth message after a connect,
     * which must precede what queued while the broker was away.
     */
    synchronized void publishFirst(Publication publication) {
        if (closed) {
            return;
        }
        queue.addFirst(new Waiting(publication, System.nanoTime()));
        waiting(queue.size());
    }

    void connected() {
        connected = true;
        scheduleDrain(0);
    }

    void disconnected() {
        connected = false;
        synchronized (this) {
            notifyAll(); // waiting callers: the queue is now the buffer for the reconnect, not worth waiting on
        }
    }

    /** Drops what waits; returns how many. */
    synchronized int close() {
        closed = true;
        connected = false;
        int left = queue.size();
        queue.clear();
        waiting(0);
        notifyAll();
        return left;
    }

    int waiting() {
        return waitingCount;
    }

    /** With the lock held: the new number of waiting publications; half the capacity or more is told to {@link PublishBacklog}. */
    private void waiting(int n) {
        boolean now = n > 0 && 2L * n >= capacity;
        if (now != crowded) {
            crowded = now;
            PublishBacklog.crowded(now ? 1 : -1);
        }
        waitingCount = n;
    }

    long published() {
        return published.get();
    }

    long expired() {
        return expired.get();
    }

    long refused() {
        return refused.get() + failed.get();
    }
}
