package org.bmsmqtt.ra.inbound;

import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.testing.LatchEndpointFactory;
import org.bmsmqtt.ra.testing.PoolWorkManager;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Delivery lanes without a broker or a server, for tests where the caller plays the MQTT client's thread: a work
 * manager on a thread pool that counts the Works it was given, and helpers for messages and order.
 */
final class LanesFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** A quick-delivery threshold every delivery of a test endpoint meets, however busy the machine. */
    static final long ALWAYS_QUICK = TimeUnit.SECONDS.toNanos(60);

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "work");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final PoolWorkManager workManager = new PoolWorkManager(pool);
    private DeliveryLanes lanes;

    /** Lanes whose deliveries all count as quick and whose client thread never counts as saturated. */
    DeliveryLanes lanes(LatchEndpointFactory endpoint, int count) {
        return lanes(endpoint, count, ALWAYS_QUICK, 2.0);
    }

    DeliveryLanes lanes(LatchEndpointFactory endpoint, int count, long quickNanos, double saturatedShare) {
        lanes = new DeliveryLanes(workManager, () -> Optional.of(endpoint), scheduler, count, 10_000, quickNanos,
                saturatedShare);
        return lanes;
    }

    /** Works scheduled so far. */
    long works() {
        return workManager.scheduled();
    }

    @Override
    public void close() {
        if (lanes != null) {
            lanes.stop();
        }
        pool.shutdownNow();
        scheduler.shutdownNow();
    }

    static MqttMessage message(String topic, int i) {
        return message(topic, i, 1);
    }

    static MqttMessage message(String topic, int i, int qos) {
        return new MqttMessage("b", topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8), qos, false, Map.of(),
                "", "", null);
    }

    /** An endpoint behaviour that holds the message {@code payload} until {@code gate} opens (counts down started). */
    static Consumer<MqttMessage> holding(String payload, CountDownLatch started, CountDownLatch gate) {
        return m -> {
            if (m.payloadAsString().equals(payload)) {
                started.countDown();
                try {
                    gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    static void assertOrder(List<MqttMessage> got, String topic) {
        List<Integer> order = got.stream().filter(m -> m.topic().equals(topic))
                .map(m -> Integer.parseInt(m.payloadAsString())).toList();
        assertEquals(order.stream().sorted().toList(), order, "order on " + topic);
    }

    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
