package org.bmsmqtt.it.bench;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import javax.net.SocketFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The BMS end to end, against baselines measured in the same run on the same mosquitto: ingest into datapoint state
 * (QoS 0 and 1) against a bare Paho subscriber, history rows per second into PostgreSQL, and relay latency (command
 * topic -> datapoint -> report topic) at a fixed rate against a trivial Paho relay. Payara Micro runs as its own
 * process with PostgreSQL (schema bms_bench, dropped first). Everything is bounded in count and time; loopback only.
 */
public final class BmsBenchmark {

    static final int DATAPOINTS = Integer.getInteger("bench.datapoints", 500);
    static final int MESSAGES = Integer.getInteger("bench.messages", 100_000);
    static final int RELAY_RATE = Integer.getInteger("bench.relayRate", 1000);
    static final int RELAY_SECONDS = Integer.getInteger("bench.relaySeconds", 10);
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.timeoutSeconds", 120));

    private final Map<String, String> results = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        new BmsBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        Path build = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
        String pgUrl = System.getProperty("it.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS bms_bench CASCADE");
        }
        try (Mosquitto broker = Mosquitto.onFreePort(build.resolve("bench")).start();
             MicroProcess micro = new MicroProcess(build, build.resolve("bench/micro"), Map.of(
                     "bms.data.dir", build.resolve("bench/data").toString(),
                     "bms.db.url", pgUrl, "bms.db.user", "postgres", "bms.db.schema", "bms_bench",
                     "bms.mqtt.server-uri", broker.uri(), "bms.mqtt.client-id", "bms-bench-in",
                     "bms.mqtt.reconnect-interval", "1", "bms.server-id", "bms-bench")).start()) {
            Http api = new Http(URI.create("http://127.0.0.1:" + micro.port() + "/bms/api/v1/"));
            System.out.println("== setting up " + DATAPOINTS + " ingest, " + DATAPOINTS + " history and 100 relay datapoints");
            long out = id(api.postJson("brokers", "{\"name\": \"out\", \"host\": \"127.0.0.1\", \"port\": "
                    + broker.port() + ", \"clientId\": \"bms-bench-out\", \"reconnectIntervalSeconds\": 1}"));
            for (int i = 0; i < DATAPOINTS; i++) {
                datapoint(api, "in-" + i, false, "{\"brokerId\": 1, \"commandTopic\": \"bench/in/" + i + "\"}");
                datapoint(api, "h-" + i, true, "{\"brokerId\": 1, \"commandTopic\": \"bench/h/" + i + "\"}");
            }
            for (int i = 0; i < 100; i++) {
                datapoint(api, "r-" + i, false, "{\"brokerId\": 1, \"commandTopic\": \"bench/r/" + i + "/set\"}");
                bind(api, "r-" + i, "{\"brokerId\": " + out + ", \"reportTopic\": \"bench/r/" + i + "/state\"}");
            }
            Thread.sleep(2000); // subscriptions settle

            for (int qos : new int[] {0, 1}) {
                double bare = bareIngest(broker.uri(), qos);
                long base = counter(api, "engine", "accepted");
                double bms = publishAndWait(broker.uri(), "bench/in/", qos, () -> counter(api, "engine", "accepted") - base);
                results.put("ingest QoS " + qos, String.format("bare Paho %,.0f msg/s | BMS datapoint state %,.0f msg/s | ratio %.2f",
                        bare, bms, bms / bare));
            }
            long written = counter(api, "history", "written");
            double rows = publishAndWait(broker.uri(), "bench/h/", 1, () -> counter(api, "history", "written") - written);
            JsonObject h = api.get("system/status").json().getJsonObject("history");
            results.put("history into PostgreSQL", String.format("%,.0f rows/s (QoS 1 in; refused %d, degraded %s)",
                    rows, h.getJsonNumber("refused").longValue(), h.getBoolean("degraded")));

            double[] baseline = relayLatency(broker.uri(), "base/r/", true);
            double[] bms = relayLatency(broker.uri(), "bench/r/", false);
            results.put("relay at " + RELAY_RATE + " msg/s", String.format(
                    "trivial Paho relay p50 %.2f ms p99 %.2f ms (%d) | BMS p50 %.2f ms p99 %.2f ms (%d)",
                    baseline[0], baseline[1], (long) baseline[2], bms[0], bms[1], (long) bms[2]));
        }
        System.out.println();
        System.out.println("== BMS benchmark (" + DATAPOINTS + " datapoints per phase, " + MESSAGES + " messages; same mosquitto, same run)");
        results.forEach((k, v) -> System.out.println(String.format("%-26s %s", k, v)));
    }

    // --- ingest --------------------------------------------------------------------------------------------------

    private double bareIngest(String uri, int qos) throws Exception {
        AtomicLong count = new AtomicLong();
        MqttAsyncClient sub = client(uri, "bench-bare", false);
        sub.setCallback(counting(count));
        sub.subscribe("bench/in/#", qos).waitForCompletion(10_000);
        try {
            return publishAndWait(uri, "bench/in/", qos, count::get);
        } finally {
            sub.disconnect().waitForCompletion(5000);
            sub.close();
        }
    }

    /** Publishes MESSAGES to prefix + (i % DATAPOINTS); rate = MESSAGES / time until {@code done} reaches them. */
    private static double publishAndWait(String uri, String prefix, int qos, LongSupplier done) throws Exception {
        MqttAsyncClient pub = client(uri, "bench-pub", false);
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            MqttMessage m = new MqttMessage(Integer.toString(i % 1000).getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            while (true) {
                try {
                    pub.publish(prefix + (i % DATAPOINTS), m);
                    break;
                } catch (MqttException e) {
                    // back-pressure from Paho (in-flight window or message ids used up): wait and retry
                    if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                            && e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE) {
                        throw e;
                    }
                    Thread.sleep(0, 200_000);
                }
            }
        }
        long deadline = start + TIMEOUT_NANOS;
        long got;
        while ((got = done.getAsLong()) < MESSAGES && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pub.disconnect().waitForCompletion(5000);
        pub.close();
        if (got < MESSAGES) {
            System.out.println("   only " + got + " of " + MESSAGES + " within the time limit");
        }
        return got / seconds;
    }

    // --- relay ---------------------------------------------------------------------------------------------------

    /** p50, p99 (ms) and count of command -> report latency at RELAY_RATE msg/s for RELAY_SECONDS. */
    private static double[] relayLatency(String uri, String prefix, boolean withBaselineRelay) throws Exception {
        MqttAsyncClient relay = null;
        if (withBaselineRelay) {
            MqttAsyncClient r = client(uri, "bench-relay", true);
            r.setCallback(new Quiet() {
                @Override
                public void messageArrived(String topic, MqttMessage message) throws Exception {
                    String state = topic.substring(0, topic.length() - "set".length()) + "state";
                    r.publish(state, message.getPayload(), 0, false);
                }
            });
            r.subscribe(prefix + "+/set", 0).waitForCompletion(10_000);
            relay = r;
        }
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        int total = RELAY_RATE * RELAY_SECONDS;
        long[] latencies = new long[total];
        AtomicLong received = new AtomicLong();
        MqttAsyncClient watcher = client(uri, "bench-watch", true);
        watcher.setCallback(new Quiet() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                long seq = (long) Double.parseDouble(new String(message.getPayload(), StandardCharsets.UTF_8));
                Long t0 = sent.remove(seq);
                if (t0 != null) {
                    int k = (int) received.getAndIncrement();
                    if (k < latencies.length) {
                        latencies[k] = now - t0;
                    }
                }
            }
        });
        watcher.subscribe(prefix + "+/state", 0).waitForCompletion(10_000);
        MqttAsyncClient pub = client(uri, "bench-cmd", true);
        long interval = TimeUnit.SECONDS.toNanos(1) / RELAY_RATE;
        long next = System.nanoTime();
        for (int i = 1; i <= total; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            sent.put((long) i, System.nanoTime());
            pub.publish(prefix + (i % 100) + "/set", Integer.toString(i).getBytes(StandardCharsets.UTF_8), 0, false);
            next += interval;
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < total && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        for (MqttAsyncClient c : relay == null ? new MqttAsyncClient[] {pub, watcher} : new MqttAsyncClient[] {pub, watcher, relay}) {
            c.disconnect().waitForCompletion(5000);
            c.close();
        }
        int n = (int) Math.min(received.get(), total);
        long[] l = Arrays.copyOf(latencies, n);
        Arrays.sort(l);
        return new double[] {n == 0 ? Double.NaN : l[n / 2] / 1e6, n == 0 ? Double.NaN : l[Math.min(n - 1, n * 99 / 100)] / 1e6, n};
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static MqttAsyncClient client(String uri, String name, boolean noDelay) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, name + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setReceiveMaximum(1000);
        if (noDelay) {
            o.setSocketFactory(new SocketFactory() {
                private Socket tune(Socket s) throws java.io.IOException {
                    s.setTcpNoDelay(true);
                    return s;
                }

                @Override
                public Socket createSocket() throws java.io.IOException {
                    return tune(new Socket());
                }

                @Override
                public Socket createSocket(String h, int p) throws java.io.IOException {
                    return tune(new Socket(h, p));
                }

                @Override
                public Socket createSocket(String h, int p, InetAddress la, int lp) throws java.io.IOException {
                    return tune(new Socket(h, p, la, lp));
                }

                @Override
                public Socket createSocket(InetAddress h, int p) throws java.io.IOException {
                    return tune(new Socket(h, p));
                }

                @Override
                public Socket createSocket(InetAddress h, int p, InetAddress la, int lp) throws java.io.IOException {
                    return tune(new Socket(h, p, la, lp));
                }
            });
        }
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private static MqttCallback counting(AtomicLong count) {
        return new Quiet() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                count.incrementAndGet();
            }
        };
    }

    private static long id(Http.Response r) {
        if (r.status() != 201) {
            throw new IllegalStateException("setup failed: " + r.status() + " " + r.body());
        }
        return r.json().getJsonNumber("id").longValue();
    }

    private static void datapoint(Http api, String name, boolean historical, String binding) {
        id(api.postJson("datapoints", "{\"name\": \"" + name + "\", \"dataType\": \"REAL\", \"historical\": "
                + historical + ", \"persistent\": false}"));
        bind(api, name, binding);
    }

    private static void bind(Http api, String name, String binding) {
        id(api.postJson("datapoints/" + name + "/bindings", binding));
    }

    private static long counter(Http api, String group, String name) {
        return api.get("system/status").json().getJsonObject(group).getJsonNumber(name).longValue();
    }

    /** A callback that only counts or relays. */
    private abstract static class Quiet implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int code, MqttProperties p) {
        }
    }
}
