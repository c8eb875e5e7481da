package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.session.Backlogs;
import org.bmsmqtt.ra.session.InboundSink.Outcome;
import org.bmsmqtt.ra.testing.LatchEndpointFactory;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lanes without a broker: the caller plays the MQTT client's thread. Which thread delivered, how many Works were
 * scheduled, order and acknowledgements.
 */
class DeliveryLanesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "work");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong works = new AtomicLong();
    private final WorkManager workManager = new WorkManager() {
        @Override
        public void doWork(Work work) {
            work.run();
        }

        @Override
        public void doWork(Work work, long timeout, ExecutionContext ctx, WorkListener listener) {
            work.run();
        }

        @Override
        public long startWork(Work work) {
            scheduleWork(work);
            return 0;
        }

        @Override
        public long startWork(Work work, long timeout, ExecutionContext ctx, WorkListener listener) {
            scheduleWork(work);
            return 0;
        }

        @Override
        public void scheduleWork(Work work) {
            works.incrementAndGet();
            pool.execute(work);
        }

        @Override
        public void scheduleWork(Work work, long timeout, ExecutionContext ctx, WorkListener listener) {
            scheduleWork(work);
        }
    };
    private final Map<String, Set<String>> threadsByPayload = new ConcurrentHashMap<>();
    private DeliveryLanes lanes;

    @AfterEach
    void stop() {
        if (lanes != null) {
            lanes.stop();
        }
        pool.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Lanes for which every delivery of a test endpoint counts as quick, however busy the machine. */
    private DeliveryLanes lanes(LatchEndpointFactory endpoint, int count) {
        return lanes(endpoint, count, java.util.concurrent.TimeUnit.SECONDS.toNanos(60));
    }

    private DeliveryLanes lanes(LatchEndpointFactory endpoint, int count, long quickNanos) {
        // never saturated: these tests are about inline delivery; the saturation test chooses its own
        lanes = new DeliveryLanes(workManager, () -> Optional.of(endpoint), scheduler, count, 10_000, quickNanos, 2.0);
        return lanes;
    }

    private static MqttMessage message(String topic, int i) {
        return message(topic, i, 1);
    }

    private static MqttMessage message(String topic, int i, int qos) {
        return new MqttMessage("b", topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8), qos, false, Map.of(),
                "", "", null);
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
        assertTrue(works.get() <= DeliveryLanes.QUICK_STREAK + 1, "Works scheduled: " + works.get());
        assertEquals(n, l.delivered());
        assertEquals(1, endpoint.createdEndpoints(), "the lane keeps its endpoint between messages and owners");
    }

    @Test
    void a_slow_endpoint_never_runs_on_the_clients_thread() throws Exception {
        int n = 40;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> sleep(2));
        DeliveryLanes l = lanes(endpoint, 1, DeliveryLanes.QUICK_NANOS); // 1 ms: a sleep of 2 ms never is quick
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
    void while_publications_wait_in_a_session_the_clients_thread_only_hands_off() throws Exception {
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
        long worksBefore = works.get();
        Backlogs.add(1);
        try {
            for (int i = 50; i < n; i++) {
                l.accept(message("b", i), o -> acked.incrementAndGet());
                int delivered = i + 1;
                assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered));
            }
        } finally {
            Backlogs.add(-1);
        }
        assertTrue(endpoint.await(WAIT));
        assertEquals(before, l.deliveredInline(), "an endpoint that publishes might wait for room on this thread");
        assertTrue(works.get() - worksBefore < (n - 50) / 2,
                "the lane's Work stays for the next message rather than one Work per message: "
                        + (works.get() - worksBefore));
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
        LatchEndpointFactory endpoint = new LatchEndpointFactory(pile + after).behaving(m -> {
            if (m.payloadAsString().equals("0")) {
                started.countDown();
                try {
                    gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS); // the others pile up behind it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
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

    @Test
    void an_endpoint_with_a_direct_path_takes_messages_without_a_container_invocation_each() throws Exception {
        int n = 400;
        LatchEndpointFactory endpoint = directFailingOnce(n, "0");
        DeliveryLanes l = lanes(endpoint, 2);
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
                    assertTrue(Specs.eventually(WAIT, Backlogs::none),
                            "a publication of another test's session waits: no inline delivery meanwhile");
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
        DeliveryLanes l = lanes(endpoint, 1);
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
        LatchEndpointFactory endpoint = new LatchEndpointFactory(n).behaving(m -> {
            if (m.payloadAsString().equals("0")) {
                started.countDown();
                try {
                    gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS); // the others wait together behind it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (m.payloadAsString().equals("150") && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("once");
            }
        });
        DeliveryLanes l = lanes(endpoint, 1);
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
            l = lanes(endpoint, 1);
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
        DeliveryLanes l = lanes(endpoint, 1);
        l.accept(message("x", 1), o -> { });
        assertTrue(endpoint.await(WAIT));
        assertTrue(Specs.eventually(WAIT, () -> endpoint.activeEndpoints() == 1), "kept between messages");
        l.endpointGone(endpoint);
        assertTrue(Specs.eventually(WAIT, () -> endpoint.activeEndpoints() == 0), "released");
        l.stop();
        assertFalse(endpoint.activeEndpoints() > 0);
    }

    /**
     * Lanes with the real saturation share, one lane, then {@code moderate} messages one every 2 ms (the thread is idle
     * most of the time); returns the counter of acknowledgements.
     */
    private AtomicInteger moderately(LatchEndpointFactory endpoint, String topic, int qos, int moderate) {
        lanes = new DeliveryLanes(workManager, () -> Optional.of(endpoint), scheduler, 1, 10_000,
                java.util.concurrent.TimeUnit.SECONDS.toNanos(60), DeliveryLanes.SATURATED);
        AtomicInteger acked = new AtomicInteger();
        for (int i = 0; i < moderate; i++) {
            lanes.accept(message(topic, i, qos), o -> acked.incrementAndGet());
            int delivered = i + 1;
            assertTrue(Specs.eventually(WAIT, () -> acked.get() == delivered));
            sleep(2);
        }
        return acked;
    }

    /** Endpoints with a direct path, expecting {@code n} messages; the one with {@code payload} fails its first time. */
    private static LatchEndpointFactory directFailingOnce(int n, String payload) {
        AtomicInteger failures = new AtomicInteger();
        return new LatchEndpointFactory(n).withDirectPath().behaving(m -> {
            if (m.payloadAsString().equals(payload) && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("once"); // retried in the lane, by the direct path again
            }
        });
    }

    private static void assertOrder(List<MqttMessage> got, String topic) {
        List<Integer> order = got.stream().filter(m -> m.topic().equals(topic))
                .map(m -> Integer.parseInt(m.payloadAsString())).toList();
        assertEquals(order.stream().sorted().toList(), order, "order on " + topic);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
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
