package org.bmsmqtt.it.bench;

import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.QuietCallback;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of the integrated broker (Artemis, the class the BMS runs, in a JVM of its own, authentication on)
 * against mosquitto (a process of its own, persistence on, no queue limit) on this machine in the same run: one Paho
 * publisher, one Paho subscriber, QoS 0 and QoS 1, 64-byte payloads over 100 topics. A round: the publisher sends
 * {@code bench.broker.messages} as fast as the broker takes them (at most 1,000 QoS 1 messages in flight); the rate
 * is messages received by the subscriber / time from the first publish to the last receipt. Medians of
 * {@code bench.broker.rounds} rounds after a warm-up round, printed with the ratio. Every round is bounded (120 s).
 * <p>
 * Run: {@code mvn -Pbench-broker -DskipTests verify} (in itests, after a build).
 */
public final class BrokerBenchmark {

    static final int MESSAGES = Integer.getInteger("bench.broker.messages", 100_000);
    static final int ROUNDS = Integer.getInteger("bench.broker.rounds", 3);
    static final long ROUND_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final boolean AUTHENTICATION = Boolean.parseBoolean(System.getProperty("bench.broker.authentication", "true"));
    static final String USER = "bench";
    static final String PASSWORD = "bench-password-not-secret";

    public static void main(String[] args) throws Exception {
        Path build = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
        Path dir = build.resolve("bench-broker");
        Files.createDirectories(dir);
        System.out.println("== integrated broker benchmark (" + MESSAGES + " messages a round, median of " + ROUNDS
                + " rounds, one publisher, one subscriber, 64-byte payloads; integrated broker authentication "
                + (AUTHENTICATION ? "on" : "off") + ")");
        try (Mosquitto mosquitto = Mosquitto.onFreePort(dir).withPersistence()
                .withConfig(false, "max_queued_messages 0", "max_inflight_messages 0").start()) {
            int artemisPort = Peers.freePort();
            Process artemis = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Artemis logs every message at INFO to its audit logger: the test class path's slf4j-simple would
                    // print them all (in the server no slf4j provider is installed, and JUL has it at WARNING)
                    "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), IntegratedBrokerProcess.class.getName(),
                    String.valueOf(artemisPort), dir.resolve("artemis-" + artemisPort).toString(), USER, PASSWORD,
                    String.valueOf(AUTHENTICATION))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                awaitReady(artemis);
                for (int qos : new int[]{0, 1}) {
                    double m = median(mosquitto.uri(), null, null, qos);
                    double a = median("tcp://127.0.0.1:" + artemisPort, USER, PASSWORD, qos);
                    System.out.printf("QoS %d: mosquitto %,.0f msg/s | integrated broker (Artemis) %,.0f msg/s | ratio %.2f%n",
                            qos, m, a, a / m);
                }
            } finally {
                artemis.getOutputStream().close();
                if (!artemis.waitFor(30, TimeUnit.SECONDS)) {
                    artemis.destroyForcibly();
                }
            }
        }
    }

    static void awaitReady(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.equals("READY")) {
                return;
            }
        }
        throw new IllegalStateException("the integrated broker process ended before it was ready");
    }

    /** A warm-up round, then the median rate of the measured rounds. */
    static double median(String uri, String user, String password, int qos) throws Exception {
        round(uri, user, password, qos, MESSAGES); // warm-up: a full round, so both JIT and caches are warm
        double[] rates = new double[ROUNDS];
        List<String> each = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            rates[i] = round(uri, user, password, qos, MESSAGES);
            each.add(String.format("%,.0f", rates[i]));
        }
        Arrays.sort(rates);
        System.out.println("   " + (user == null ? "mosquitto" : "integrated") + " QoS " + qos + " rounds: " + each);
        return rates[ROUNDS / 2];
    }

    static double round(String uri, String user, String password, int qos, int messages) throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong lastAt = new AtomicLong();
        Object done = new Object();
        MqttAsyncClient sub = client(uri, "bench-sub-" + System.nanoTime(), user, password, new Counting(received, lastAt,
                messages, done));
        sub.subscribe("bench/#", qos).waitForCompletion(10_000);
        MqttAsyncClient pub = client(uri, "bench-pub-" + System.nanoTime(), user, password, new Counting(null, null, 0, null));
        byte[] payload = new byte[64];
        Arrays.fill(payload, (byte) 'x');
        Semaphore inFlight = new Semaphore(1000);
        long start = System.nanoTime();
        for (int i = 0; i < messages && System.nanoTime() - start < ROUND_LIMIT_NANOS; i++) {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(qos);
            inFlight.acquire();
            try {
                pub.publish("bench/" + (i % 100), m, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken t) {
                        inFlight.release();
                    }

                    @Override
                    public void onFailure(IMqttToken t, Throwable e) {
                        inFlight.release();
                    }
                });
            } catch (MqttException e) {
                inFlight.release();
                Thread.sleep(1); // the client's own window is full: let it drain
                i--;
            }
        }
        synchronized (done) {
            while (received.get() < messages && System.nanoTime() - start < ROUND_LIMIT_NANOS) {
                done.wait(200);
                if (qos == 0 && System.nanoTime() - lastAt.get() > TimeUnit.SECONDS.toNanos(2) && received.get() > 0) {
                    break; // QoS 0 may drop: nothing more for 2 s
                }
            }
        }
        long end = lastAt.get();
        pub.disconnect().waitForCompletion(10_000);
        sub.disconnect().waitForCompletion(10_000);
        pub.close();
        sub.close();
        if (received.get() < messages) {
            System.out.println("   (" + uri + " QoS " + qos + ": " + received.get() + " of " + messages + " received)");
        }
        return received.get() / ((end - start) / 1e9);
    }

    static MqttAsyncClient client(String uri, String id, String user, String password, MqttCallback cb) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(uri, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setReceiveMaximum(65_535);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        c.setCallback(cb);
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    /** Counts arrivals and remembers when the last one came. */
    private static final class Counting extends QuietCallback {
        private final AtomicLong received;
        private final AtomicLong lastAt;
        private final long expected;
        private final Object done;

        Counting(AtomicLong received, AtomicLong lastAt, long expected, Object done) {
            this.received = received;
            this.lastAt = lastAt;
            this.expected = expected;
            this.done = done;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (received == null) {
                return; // the publisher's callback
            }
            lastAt.set(System.nanoTime());
            if (received.incrementAndGet() >= expected) {
                synchronized (done) {
                    done.notifyAll();
                }
            }
        }
    }
}
