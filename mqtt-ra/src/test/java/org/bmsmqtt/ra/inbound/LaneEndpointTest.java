package org.bmsmqtt.ra.inbound;

import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.session.Backlogs;
import org.bmsmqtt.ra.testing.LatchEndpointFactory;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.bmsmqtt.ra.inbound.LanesFixture.WAIT;
import static org.bmsmqtt.ra.inbound.LanesFixture.assertOrder;
import static org.bmsmqtt.ra.inbound.LanesFixture.holding;
import static org.bmsmqtt.ra.inbound.LanesFixture.message;
import static org.bmsmqtt.ra.inbound.LanesFixture.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a lane does with its endpoint ({@link LaneEndpoint}): the direct path instead of a container invocation per
 * message, batches for endpoints without one and what a failure does to them, the endpoint given back when its
 * factory goes. The caller plays the MQTT client's thread.
 */
class LaneEndpointTest {

    private final LanesFixture fx = new LanesFixture();

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void an_endpoint_with_a_direct_path_takes_messages_without_a_container_invocation_each() throws Exception {
        int n = 400;
        LatchEndpointFactory endpoint = directFailingOnce(n, "0");
        DeliveryLanes l = fx.lanes(endpoint, 2);
        ClassLoader foreign = new java.net.URLClassLoader(new java.net.URL[0], null);
        Thread caller = Thread.currentThread();
        ClassLoader own = caller.getContextClassLoader();
        caller.setContextClassLoader(foreign); // as on Paho's thread: not the application's loader
        AtomicInteger acked = new AtomicInteger();
        try {
            for (int i = 0; i < n; i++) {
                l.accept(message(i % 2 == 0 ? "a" : "b", i), o -> acked.incrementAndGet());
                if (i < n / 2) { // one at a time: the lanes' Works deliver them singly until each lane was quick
                    int delivered = i + 1;
                    assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered), "acked " + acked.get());
                }
                if (i == n / 2 - 1) { // once the Works are gone, the rest goes inline, on this thread
                    sleep(3 * DeliveryLanes.LINGER_MILLIS);
                    assertTrue(Specs.eventually(WAIT, Backlogs::roomy),
                            "a publish queue of another test's session is half full: no inline delivery meanwhile");
                }
            }
            assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
            assertTrue(Specs.eventually(WAIT, () -> acked.get() == n), "acked " + acked.get());
            assertEquals(foreign, caller.getContextClassLoader(), "the caller's context class loader is back");
        } finally {
            caller.setContextClassLoader(own);
        }
        assertEquals(0, endpoint.invocations(), "no onMessage or onMessages through the endpoint");
        assertEquals(n + 1, endpoint.directCalls(), "every message by the direct path, one of them twice");
        assertTrue(l.deliveredInline() > 0, "some inline, on the caller's thread");
        assertEquals(LatchEndpointFactory.class.getClassLoader(), endpoint.directLoaderSeen(),
                "the direct path runs with its own class loader as context class loader");
        assertOrder(endpoint.received(), "a");
        assertOrder(endpoint.received(), "b");
    }


    @Test
    void a_direct_path_that_fails_once_in_a_burst_gets_only_that_message_again() throws Exception {
        int n = 300;
        LatchEndpointFactory endpoint = directFailingOnce(n, "150");
        DeliveryLanes l = fx.lanes(endpoint, 1);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < n; i++) { // back to back: messages wait in the lane together
            l.accept(message("a", i), o -> acked.incrementAndGet());
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
        assertTrue(Specs.eventually(WAIT, () -> acked.get() == n), "acked " + acked.get());
        assertEquals(n + 1, endpoint.directCalls(), "only the failed message twice, not its batch");
        assertEquals(n, endpoint.received().size(), "no duplicates");
        assertEquals(0, endpoint.batches());
        assertOrder(endpoint.received(), "a");
    }


    @Test
    void a_batch_that_fails_once_does_not_end_batching_for_the_lane() throws Exception {
        int n = 300;
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        Consumer<MqttMessage> held = holding("0", started, gate); // the others wait together behind it
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> {
            held.accept(m);
            if (m.payloadAsString().equals("150") && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("once");
            }
        });
        DeliveryLanes l = fx.lanes(endpoint, 1);
        AtomicInteger acked = new AtomicInteger();
        l.accept(message("a", 0), o -> acked.incrementAndGet());
        assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        for (int i = 1; i < n; i++) {
            l.accept(message("a", i), o -> acked.incrementAndGet());
        }
        gate.countDown();
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
        assertTrue(Specs.eventually(WAIT, () -> acked.get() == n), "acked " + acked.get());
        // 0 alone, then 1-64, 65-128, 129-192 (fails at 150: one by one, 129-149 a second time), 193-256, 257-299
        assertEquals(5, endpoint.batches(), "batch calls, the failed one included (3 when batching ended with it)");
        List<MqttMessage> got = endpoint.received();
        assertEquals(n + 21, got.size(), "the failed batch's messages before 150 twice, nothing else");
        assertEquals(n, got.stream().map(MqttMessage::payloadAsString).distinct().count());
    }


    @Test
    void with_direct_paths_switched_off_every_message_goes_through_the_endpoint() throws Exception {
        int n = 100;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).withDirectPath();
        System.setProperty("org.bmsmqtt.ra.directPath", "false");
        DeliveryLanes l;
        try {
            l = fx.lanes(endpoint, 1);
        } finally {
            System.clearProperty("org.bmsmqtt.ra.directPath");
        }
        for (int i = 0; i < n; i++) {
            l.accept(message("a", i), o -> { });
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count());
        assertEquals(0, endpoint.directCalls());
        assertTrue(endpoint.invocations() > 0);
        assertOrder(endpoint.received(), "a");
    }


    @Test
    void a_deactivated_factorys_endpoint_goes_back_while_the_lane_is_idle() throws Exception {
        LatchEndpointFactory endpoint = new LatchEndpointFactory(1);
        DeliveryLanes l = fx.lanes(endpoint, 1);
        l.accept(message("x", 1), o -> { });
        assertTrue(endpoint.await(WAIT));
        assertTrue(Specs.eventually(WAIT, () -> endpoint.activeEndpoints() == 1), "kept between messages");
        l.endpointGone(endpoint);
        assertTrue(Specs.eventually(WAIT, () -> endpoint.activeEndpoints() == 0), "released");
        l.stop();
        assertFalse(endpoint.activeEndpoints() > 0);
    }


    /** Endpoints with a direct path expecting {@code n} messages; the one with {@code payload} fails once. */
    private static LatchEndpointFactory directFailingOnce(int n, String payload) {
        AtomicInteger failures = new AtomicInteger();
        return new LatchEndpointFactory(n).withDirectPath().behaving(m -> {
            if (m.payloadAsString().equals(payload) && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("once"); // retried in the lane, by the direct path again
            }
        });
    }
}
