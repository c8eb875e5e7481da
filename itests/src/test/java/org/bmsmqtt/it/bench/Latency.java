package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.QuietCallback;
import org.bmsmqtt.ra.testing.TcpNoDelaySockets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * What the field-bus latency benchmarks share: sequence numbers sent at a fixed rate on one path and matched exactly
 * where they arrive, p50 / p99 per path, and the MQTT ends (a timed Paho subscriber, a Paho publisher). Every sample
 * is a distinct number, so a late or lost one never pairs with another's send time.
 */
final class Latency {

    /** Where a sequence number was seen, and when (System.nanoTime). */
    interface Arrival {
        void at(int seq, long nanos);
    }

    /** The receiving end of a path: told where to report arrivals while a path is measured, null afterwards. */
    interface Receiver {
        void arrival(Arrival a);
    }

    private final int rate;
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private int sequence;

    Latency(int rate) {
        this.rate = rate;
    }

    /**
     * Sends {@code n} new sequence numbers at the rate through {@code send} and waits (10 s at most) for them at
     * {@code receiver}; prints p50 / p99 and keeps them under {@code name} when {@code keep} (not a warm-up).
     */
    void measure(boolean keep, String name, int n, IntConsumer send, Receiver receiver) throws InterruptedException {
        Map<Integer, Long> sent = new ConcurrentHashMap<>();
        long[] latencies = new long[n];
        AtomicInteger got = new AtomicInteger();
        receiver.arrival((seq, nanos) -> {
            Long t0 = sent.remove(seq);
            if (t0 != null) {
                int k = got.getAndIncrement();
                if (k < latencies.length) {
                    latencies[k] = nanos - t0;
                }
            }
        });
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        int first = sequence + 1;
        for (int i = 0; i < n; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            int seq = ++sequence;
            sent.put(seq, System.nanoTime());
            send.accept(seq);
            next += interval;
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.get() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        receiver.arrival(null);
        int m = Math.min(got.get(), n);
        long[] l = Arrays.copyOf(latencies, m);
        Arrays.sort(l);
        double[] r = {m == 0 ? Double.NaN : l[m / 2] / 1e6, m == 0 ? Double.NaN : l[Math.min(m - 1, m * 99 / 100)] / 1e6,
                m, n};
        System.out.println(String.format("   %s%-36s p50 %.2f ms p99 %.2f ms (%d of %d, values %d..%d)",
                keep ? "" : "warm-up ", name, r[0], r[1], m, n, first, sequence));
        if (keep) {
            results.put(name, r);
        }
    }

    /** p50, p99 in ms, received, sent. */
    double[] result(String name) {
        return results.get(name);
    }

    void printResults() {
        results.forEach((k, v) -> System.out.println(String.format("%-36s p50 %6.2f ms  p99 %6.2f ms  (%d of %d)",
                k, v[0], v[1], (long) v[2], (long) v[3])));
    }

    /** "path ratio: p50 Ax / p99 Bx of (hop + MQTT hop)" for a BMS path against its two bare hops. */
    void printRatio(String path, String hop, String mqttHop) {
        double[] b = results.get(path);
        double[] h = results.get(hop);
        double[] m = results.get(mqttHop);
        System.out.println(String.format("%-36s p50 %.2fx / p99 %.2fx one field-bus hop; p50 %.2fx / p99 %.2fx "
                        + "field-bus hop + MQTT hop", path + " ratio", b[0] / h[0], b[1] / h[1],
                b[0] / (h[0] + m[0]), b[1] / (h[1] + m[1])));
    }

    // --- the MQTT ends ------------------------------------------------------------------------------------------

    /** A Paho subscriber that times each message whose payload is a sequence number ("12" or "12.0"). */
    static final class Watcher implements Receiver, AutoCloseable {
        private final MqttAsyncClient client;
        private volatile Arrival arrival;

        Watcher(Mosquitto broker, String filter, String name) throws MqttException {
            client = client(broker.uri(), name);
            client.setCallback(new QuietCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    long now = System.nanoTime();
                    Arrival a = arrival;
                    try {
                        int seq = (int) Double.parseDouble(new String(message.getPayload(), StandardCharsets.UTF_8));
                        if (a != null) {
                            a.at(seq, now);
                        }
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            });
            client.subscribe(filter, 0).waitForCompletion(10_000);
        }

        @Override
        public void arrival(Arrival a) {
            arrival = a;
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(5000);
            client.close();
        }
    }

    /** Publishes each sequence number (QoS 0) to prefix + (seq % points) + suffix from one client. */
    static final class Publisher implements IntConsumer, AutoCloseable {
        private final MqttAsyncClient client;
        private final String prefix;
        private final String suffix;
        private final int points;

        Publisher(Mosquitto broker, String prefix, String suffix, int points, String name) throws MqttException {
            this.client = client(broker.uri(), name);
            this.prefix = prefix;
            this.suffix = suffix;
            this.points = points;
        }

        @Override
        public void accept(int seq) {
            try {
                client.publish(prefix + (seq % points) + suffix,
                        Integer.toString(seq).getBytes(StandardCharsets.UTF_8), 0, false);
            } catch (MqttException e) {
                throw new IllegalStateException("publish: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(5000);
            client.close();
        }
    }

    /** A Paho client with TCP_NODELAY (without it, Nagle adds milliseconds per hop: see STACK.md). */
    static MqttAsyncClient client(String uri, String name) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, name + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(new TcpNoDelaySockets());
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    /** The id of what a setup POST created; anything but 201 ends the benchmark with the answer. */
    static long id(Http.Response r) {
        if (r.status() != 201) {
            throw new IllegalStateException("setup failed: " + r.status() + " " + r.body());
        }
        return r.json().getJsonNumber("id").longValue();
    }
}
