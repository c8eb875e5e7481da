package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.Publication;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue's hand-offs under a full window, with a client that takes {@code window} publications in flight and an
 * executor that only records what it is asked to run: who sends what waits, in which order, and how many hops to
 * the executor that costs.
 */
class OutboundQueueTest {

    /** A client with an in-flight window; {@link #ack()} completes the oldest publication like a PUBACK. */
    private static final class Wire implements OutboundQueue.Wire {
        int window;
        final List<String> sent = new ArrayList<>();
        final Deque<Runnable> inFlight = new ArrayDeque<>();
        final List<Runnable> timers = new ArrayList<>();

        Wire(int window) {
            this.window = window;
        }

        @Override
        public OutboundQueue.Sent send(Publication publication, long expirySeconds, Runnable done) {
            if (inFlight.size() >= window) {
                return OutboundQueue.Sent.WINDOW_FULL;
            }
            if (publication.topic().equals("refused")) {
                throw new IllegalStateException("publish to refused failed");
            }
            sent.add(new String(publication.payload(), StandardCharsets.UTF_8));
            inFlight.add(done);
            return OutboundQueue.Sent.SENT;
        }

        @Override
        public void later(long millis, Runnable task) {
            timers.add(task);
        }

        void ack() {
            inFlight.poll().run();
        }
    }

    private static final class Hops implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    /** A connected queue, its connect's drain run. */
    private static OutboundQueue connected(Wire wire, Hops hops, int capacity, long waitMillis) {
        OutboundQueue q = new OutboundQueue("s", wire, hops, capacity, waitMillis);
        q.connected();
        hops.runAll();
        return q;
    }

    private static Publication p(int n) {
        return Publication.of("t/" + (n % 2), Integer.toString(n), 1, false);
    }

    @Test
    void what_waits_goes_as_soon_as_the_window_has_room_in_order_without_a_hop() {
        Wire wire = new Wire(2);
        Hops hops = new Hops();
        OutboundQueue q = connected(wire, hops, 100, 0);
        for (int i = 1; i <= 4; i++) {
            q.publish(p(i));
        }
        assertEquals(List.of("1", "2"), wire.sent);
        assertEquals(2, q.waiting());
        assertEquals(0, hops.tasks.size(), "queued behind publications in flight: their completions drain, no hop now");

        wire.ack(); // a slot is free: the completion sends the oldest waiting one itself, on the client's thread
        assertEquals(List.of("1", "2", "3"), wire.sent);
        assertEquals(0, hops.tasks.size(), "no hop to the executor per completion");

        wire.window = 3; // room that no completion of ours announces (the client's window grew): the next publisher
        q.publish(p(5));
        assertEquals(List.of("1", "2", "3", "4"), wire.sent, "the publisher sent the oldest waiting one, not its own");
        assertEquals(1, q.waiting());

        wire.ack();
        assertEquals(List.of("1", "2", "3", "4", "5"), wire.sent);
        assertEquals(0, q.waiting());
        assertEquals(5, q.published());
        assertEquals(0, hops.tasks.size());
    }

    @Test
    void on_a_clients_callback_thread_a_full_queue_takes_the_publication_over_its_capacity_instead_of_waiting()
            throws Exception {
        Wire wire = new Wire(1);
        Hops hops = new Hops();
        OutboundQueue q = connected(wire, hops, 2, 60_000); // a publisher elsewhere would wait a minute
        assertTrue(PublishBacklog.roomy());
        q.publish(p(1)); // in flight
        q.publish(p(2)); // waits: half the capacity
        assertFalse(PublishBacklog.roomy(), "half full: lanes stop delivering on the client's thread");
        q.publish(p(3)); // waits: full
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread callback = new Thread(() -> {
            PublishBacklog.markCallbackThread();
            try {
                q.publish(p(4));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        callback.start();
        callback.join(30_000); // it would wait the queue's minute for room
        assertFalse(callback.isAlive(), "the client's thread waited for room only it could free");
        assertEquals(null, failure.get());
        assertEquals(3, q.waiting(), "over the capacity by that one, not refused");
        assertEquals(0, q.refused());

        wire.ack();
        wire.ack();
        wire.ack();
        wire.ack();
        assertEquals(List.of("1", "2", "3", "4"), wire.sent);
        assertTrue(PublishBacklog.roomy(), "below half again");
        q.close();
    }

    @Test
    void elsewhere_a_full_queue_is_waited_on_and_then_refused() {
        Wire wire = new Wire(1);
        Hops hops = new Hops();
        OutboundQueue q = connected(wire, hops, 2, 50);
        q.publish(p(1));
        q.publish(p(2));
        q.publish(p(3));
        long start = System.nanoTime();
        assertThrows(IllegalStateException.class, () -> q.publish(p(4)));
        assertTrue(System.nanoTime() - start >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(45), "waited first");
        assertEquals(1, q.refused());
        assertEquals(2, q.waiting());
        q.close();
        assertTrue(PublishBacklog.roomy(), "a closed queue crowds nothing");
    }

    @Test
    void with_nothing_of_ours_in_flight_a_full_window_is_looked_at_again_by_a_timer() {
        Wire wire = new Wire(0); // full of what the client resends after a reconnect: no completion of ours will come
        Hops hops = new Hops();
        OutboundQueue q = connected(wire, hops, 100, 0);
        q.publish(p(1));
        assertEquals(1, hops.tasks.size(), "nothing in flight: the executor must look");
        hops.runAll();
        assertEquals(1, wire.timers.size(), "still full: a timer looks again");
        wire.window = 1;
        wire.timers.remove(0).run();
        assertEquals(List.of("1"), wire.sent);
        assertEquals(0, q.waiting());
    }

    @Test
    void a_waiting_publication_the_client_refuses_for_good_is_counted_and_does_not_block_the_rest() {
        Wire wire = new Wire(1);
        Hops hops = new Hops();
        OutboundQueue q = connected(wire, hops, 100, 0);
        q.publish(p(1));
        q.publish(Publication.of("refused", "x", 1, false)); // waits: the window is full
        q.publish(p(2));
        wire.ack();
        // that completion sent what waited: the refused one was dropped and counted, not thrown at a caller
        q.publish(p(3));
        wire.ack();
        hops.runAll();
        assertEquals(List.of("1", "2", "3"), wire.sent);
        assertEquals(1, q.refused());
        assertEquals(0, q.waiting());
    }
}
