package org.bmsmqtt.ra.inbound;

import org.bmsmqtt.ra.session.Backlogs;
import org.bmsmqtt.ra.session.InboundSink.Outcome;
import org.bmsmqtt.ra.testing.LatchEndpointFactory;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bmsmqtt.ra.inbound.LanesFixture.WAIT;
import static org.bmsmqtt.ra.inbound.LanesFixture.assertOrder;
import static org.bmsmqtt.ra.inbound.LanesFixture.holding;
import static org.bmsmqtt.ra.inbound.LanesFixture.message;
import static org.bmsmqtt.ra.inbound.LanesFixture.sleep;
import static org.bmsmqtt.ra.inbound.LanesFixture.spin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lanes without a broker: the caller plays the MQTT client's thread. Which thread delivered, how many Works were
 * scheduled, order and acknowledgements.
 */
class DeliveryLanesTest {

    private final LanesFixture fx = new LanesFixture();
    private final Map<String, Set<String>> threadsByPayload = new ConcurrentHashMap<>();
    /** The saturation tests' lanes (see moderately). */
    private DeliveryLanes lanes;

    @AfterEach
    void stop() {
        fx.close();
    }

    private DeliveryLanes lanes(LatchEndpointFactory endpoint, int count) {
        return fx.lanes(endpoint, count);
    }

    private LatchEndpointFactory recording(int expected) {
        return new LatchEndpointFactory(expected).behaving(m -> threadsByPayload
                .computeIfAbsent(m.payloadAsString(), k -> ConcurrentHashMap.newKeySet())
                .add(Thread.currentThread().getName()));
    }

    @Test
    void a_quick_endpoint_takes_messages_on_the_clients_thread_once_it_has_been_quick_for_a_while() throws Exception {
        int n = 200;
        LatchEndpointFactory endpoint = recording(n);
        DeliveryLanes l = lanes(endpoint, 1);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            l.accept(message("t/" + (i % 3), i), o -> {
                assertEquals(Outcome.DELIVERED, o);
                acked.incrementAndGet();
            });
            // the next one only when this one is through, as at a moderate rate: the lane is idle in between
            int delivered = i + 1;
            assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered), "acked " + acked.get());
        }
        assertTrue(endpoint.await(WAIT));
        String me = Thread.currentThread().getName();
        long inline = endpoint.received().stream()
                .filter(m -> threadsByPayload.get(m.payloadAsString()).contains(me)).count();
        assertEquals(l.deliveredInline(), inline);
        assertTrue(inline >= n - DeliveryLanes.QUICK_STREAK - 1,
                "after " + DeliveryLanes.QUICK_STREAK + " quick deliveries the caller's thread delivers: " + inline);
        assertTrue(fx.works() <= DeliveryLanes.QUICK_STREAK + 1, "Works scheduled: " + fx.works());
        assertEquals(n, l.delivered());
        assertEquals(1, endpoint.createdEndpoints(), "the lane keeps its endpoint between messages and owners");
    }

    @Test
    void a_slow_endpoint_never_runs_on_the_clients_thread() throws Exception {
        int n = 40;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> sleep(2));
        DeliveryLanes l = fx.lanes(endpoint, 1, DeliveryLanes.QUICK_NANOS, 2.0); // 1 ms: a sleep of 2 ms never is quick
        for (int i = 0; i < n; i++) {
            l.accept(message("slow", i), o -> { });
            sleep(3);
        }
        assertTrue(endpoint.await(WAIT));
        assertEquals(0, l.deliveredInline(), "a 2 ms endpoint is not quick");
        assertOrder(endpoint.received(), "slow");
    }

    @Test
    void a_failed_inline_delivery_is_retried_in_the_lane_ahead_of_what_came_later() throws Exception {
        int n = 60;
        AtomicInteger failures = new AtomicInteger();
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> {
            if (m.payloadAsString().equals("30") && failures.incrementAndGet() <= 2) {
                throw new IllegalStateException("database away");
            }
        });
        DeliveryLanes l = lanes(endpoint, 1);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            l.accept(message("retry", i), o -> {
                assertEquals(Outcome.DELIVERED, o);
                acked.incrementAndGet();
            });
            if (i < 30) {
                int delivered = i + 1;
                assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered));
            }
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
        assertTrue(Specs.eventually(WAIT, () -> acked.get() == n));
        assertEquals(3, failures.get(), "two failures, then delivered");
        assertTrue(l.deliveredInline() >= 10, "30 went inline before: " + l.deliveredInline());
        assertOrder(endpoint.received(), "retry");
        assertEquals(0, l.undeliverable());
    }

    @Test
    void while_a_sessions_publish_queue_is_half_full_the_clients_thread_only_hands_off() throws Exception {
        int n = 100;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n);
        DeliveryLanes l = lanes(endpoint, 1);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            l.accept(message("b", i), o -> acked.incrementAndGet());
            int delivered = i + 1;
            assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered));
        }
        long before = l.deliveredInline();
        assertTrue(before > 0);
        long worksBefore = fx.works();
        Backlogs.crowd(1);
        try {
            for (int i = 50; i < n; i++) {
                l.accept(message("b", i), o -> acked.incrementAndGet());
                int delivered = i + 1;
                assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered));
            }
        } finally {
            Backlogs.crowd(-1);
        }
        assertTrue(endpoint.await(WAIT));
        assertEquals(before, l.deliveredInline(), "an endpoint that publishes might wait for room on this thread");
        assertTrue(fx.works() - worksBefore < (n - 50) / 2,
                "the lane's Work stays for the next message rather than one Work per message: "
                        + (fx.works() - worksBefore));
        assertOrder(endpoint.received(), "b");
    }

    @Test
    void a_saturated_clients_thread_only_hands_off_and_the_lanes_deliver_in_batches() throws Exception {
        int moderate = 60;
        int n = 2_000;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> spin(100_000));
        AtomicInteger acked = moderately(endpoint, "s", 1, moderate);
        long inlineBefore = lanes.deliveredInline();
        assertTrue(inlineBefore >= moderate - DeliveryLanes.QUICK_STREAK - 1,
                "a 0.1 ms endpoint every 2 ms does not saturate the thread: " + inlineBefore + " inline");
        assertEquals(0, endpoint.batches());
        for (int i = moderate; i < n; i++) { // back to back, as when messages wait in the client
            lanes.accept(message("s", i), o -> acked.incrementAndGet());
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
        assertTrue(Specs.eventually(WAIT, () -> acked.get() == n), "acked " + acked.get());
        long inlineAfter = lanes.deliveredInline() - inlineBefore;
        assertTrue(inlineAfter < 200, "saturated, the client's thread only hands off: " + inlineAfter + " inline");
        assertTrue(endpoint.batches() > 0, "what waits goes to the endpoint in batches");
        assertOrder(endpoint.received(), "s");
        assertEquals(n, lanes.delivered());
    }

    @Test
    void a_saturated_clients_thread_still_delivers_qos_0_itself() throws Exception {
        int moderate = 60;
        int n = 2_000;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> spin(100_000));
        AtomicInteger acked = moderately(endpoint, "q0", 0, moderate); // the lane's endpoint is known to be quick
        long inlineBefore = lanes.deliveredInline();
        for (int i = moderate; i < n; i++) { // back to back: the thread is saturated
            lanes.accept(message("q0", i, 0), o -> acked.incrementAndGet());
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
        assertTrue(Specs.eventually(WAIT, () -> acked.get() == n), "acked " + acked.get());
        long inlineAfter = lanes.deliveredInline() - inlineBefore;
        assertEquals(n - moderate, inlineAfter, "QoS 0 is not handed off for saturation");
        assertEquals(0, endpoint.batches());
        assertOrder(endpoint.received(), "q0");
    }

    @Test
    void a_qos_0_lane_that_drained_a_pile_goes_back_to_inline_delivery_at_once() throws Exception {
        int pile = 200;
        int after = 20;
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        LatchEndpointFactory endpoint = new LatchEndpointFactory(pile + after)
                .behaving(holding("0", started, gate)); // the others pile up behind it
        DeliveryLanes l = lanes(endpoint, 1);
        AtomicInteger acked = new AtomicInteger();
        l.accept(message("p", 0, 0), o -> acked.incrementAndGet());
        assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        for (int i = 1; i < pile; i++) {
            l.accept(message("p", i, 0), o -> acked.incrementAndGet());
        }
        gate.countDown();
        assertTrue(Specs.eventually(WAIT, () -> acked.get() == pile), "acked " + acked.get());
        long inlineBefore = l.deliveredInline();
        for (int i = pile; i < pile + after; i++) { // well within the 100 ms a Work stays for saturation
            l.accept(message("p", i, 0), o -> acked.incrementAndGet());
            long end = System.nanoTime() + WAIT.toNanos();
            while (acked.get() <= i && System.nanoTime() < end) {
                Thread.yield(); // not Specs.eventually: its 20 ms sleeps would let a staying Work's 100 ms pass
            }
            sleep(1);
        }
        long inline = l.deliveredInline() - inlineBefore;
        // the first may still find the Work giving the lane up
        assertTrue(inline >= after - 1, "a QoS 0 pile does not keep the Work: " + inline + " of " + after + " inline");
        assertOrder(endpoint.received(), "p");
    }

    /**
     * Lanes with the real saturation share, one lane, then {@code moderate} messages one every 2 ms (the thread is idle
     * most of the time); returns the counter of acknowledgements.
     */
    private AtomicInteger moderately(LatchEndpointFactory endpoint, String topic, int qos, int moderate) {
        lanes = fx.lanes(endpoint, 1, LanesFixture.ALWAYS_QUICK, DeliveryLanes.SATURATED);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < moderate; i++) {
            lanes.accept(message(topic, i, qos), o -> acked.incrementAndGet());
            int delivered = i + 1;
            assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered));
            sleep(2);
        }
        return acked;
    }

}
