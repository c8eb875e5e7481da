package org.bmsmqtt.it.bench;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.QuietCallback;
import org.bmsmqtt.ra.testing.TcpNoDelaySockets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

    static final int DATAPOINTS = Integer.getInteger("bench.datapoints", 10_000);
    static final int MESSAGES = Integer.getInteger("bench.messages", 100_000);
    static final int RELAY_RATE = Integer.getInteger("bench.relayRate", 1000);
    static final int RELAY_SECONDS = Integer.getInteger("bench.relaySeconds", 10);
    static final int RELAY_MAX_MESSAGES = Integer.getInteger("bench.relayMaxMessages", 100_000);
    static final int SCALE_BROKERS = Integer.getInteger("bench.scaleBrokers", 100);
    static final int SCALE_DATAPOINTS = Integer.getInteger("bench.scaleDatapoints", 100_000);
    static final int SETUP_THREADS = 4;
    static final int WARMUP = 50_000;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.timeoutSeconds", 120));

    private final Map<String, String> results = new LinkedHashMap<>();
    private double emptyStartSeconds;

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
                     "bms.mqtt.reconnect-interval", "1", "bms.server-id", "bms-bench",
                     "bms.admin.password", Http.ADMIN_PASSWORD, "bms.integrated-broker.start-at-boot", "false"))) {
            long launched = System.nanoTime();
            micro.start();
            emptyStartSeconds = (System.nanoTime() - launched) / 1e9;
            Http api = new Http(URI.create("http://127.0.0.1:" + micro.port() + "/bms/api/v1/"));
            System.out.println("== setting up " + DATAPOINTS + " ingest, " + DATAPOINTS + " history and 100 relay datapoints"
                    + " through the REST API (" + SETUP_THREADS + " clients)");
            long out = id(api.postJson("brokers", "{\"name\": \"out\", \"host\": \"127.0.0.1\", \"port\": "
                    + broker.port() + ", \"clientId\": \"bms-bench-out\", \"reconnectIntervalSeconds\": 1}"));
            long setupStart = System.nanoTime();
            java.util.concurrent.ExecutorService setup = java.util.concurrent.Executors.newFixedThreadPool(SETUP_THREADS);
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int i = 0; i < DATAPOINTS; i++) {
                int n = i;
                work.add(setup.submit(() -> {
                    datapoint(api, "in-" + n, false, "{\"brokerId\": 1, \"commandTopic\": \"bench/in/" + n + "\"}");
                    datapoint(api, "h-" + n, true, "{\"brokerId\": 1, \"commandTopic\": \"bench/h/" + n + "\"}");
                }));
            }
            for (int i = 0; i < 100; i++) {
                int n = i;
                work.add(setup.submit(() -> {
                    datapoint(api, "r-" + n, false, "{\"brokerId\": 1, \"commandTopic\": \"bench/r/" + n + "/set\"}");
                    bind(api, "r-" + n, "{\"brokerId\": " + out + ", \"reportTopic\": \"bench/r/" + n + "/state\"}");
                }));
            }
            for (var f : work) {
                f.get();
            }
            setup.shutdown();
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            int changes = 4 * DATAPOINTS + 300;
            results.put("configuration via REST", String.format("%,d changes (datapoints, bindings) in %.1f s: %,.0f/s",
                    changes, setupSeconds, changes / setupSeconds));
            System.out.println("   " + results.get("configuration via REST"));
            Thread.sleep(2000); // subscriptions settle

            for (int qos : new int[] {0, 1}) {
                double bare = bareIngest(broker.uri(), qos);
                long base = counter(api, "engine", "accepted");
                double bms = publishAndWait(broker.uri(), "bench/in/", qos, () -> counter(api, "engine", "accepted") - base);
                counts(api);
                results.put("ingest QoS " + qos, String.format("bare Paho %,.0f msg/s | BMS datapoint state %,.0f msg/s | ratio %.2f",
                        bare, bms, bms / bare));
            }
            long written = counter(api, "history", "written");
            double rows = publishAndWait(broker.uri(), "bench/h/", 1, () -> counter(api, "history", "written") - written);
            counts(api);
            JsonObject h = api.get("system/status").json().getJsonObject("history");
            results.put("history into PostgreSQL", String.format("%,.0f rows/s (QoS 1 in; refused %d, degraded %s)",
                    rows, h.getJsonNumber("refused").longValue(), h.getBoolean("degraded")));

            double[] baseline = relayLatency(broker.uri(), "base/r/", true);
            double[] bms = relayLatency(broker.uri(), "bench/r/", false);
            results.put("relay at " + RELAY_RATE + " msg/s", String.format(
                    "trivial Paho relay p50 %.2f ms p99 %.2f ms (%d) | BMS p50 %.2f ms p99 %.2f ms (%d)",
                    baseline[0], baseline[1], (long) baseline[2], bms[0], bms[1], (long) bms[2]));

            double baseMax = relayMax(broker.uri(), "base/r/", true);
            double bmsMax = relayMax(broker.uri(), "bench/r/", false);
            results.put("relay, maximum", String.format("trivial Paho relay %,.0f msg/s | BMS %,.0f msg/s | ratio %.2f",
                    baseMax, bmsMax, bmsMax / baseMax));

            if (SCALE_DATAPOINTS > 0) {
                scale(api, micro, broker, pgUrl);
            }
        }
        System.out.println();
        System.out.println("== BMS benchmark (" + DATAPOINTS + " datapoints per phase, " + MESSAGES
                + " messages; same mosquitto, same run; baselines measured in the same run)");
        results.forEach((k, v) -> System.out.println(String.format("%-26s %s", k, v)));
    }

    // --- ingest --------------------------------------------------------------------------------------------------

    /** A bare Paho subscriber in its own JVM (as the BMS is), on the same topics; publisher here as for the BMS. */
    private double bareIngest(String uri, int qos) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), BareSubscriber.class.getName(), uri,
                "bench/in/#", Integer.toString(qos), Integer.toString(WARMUP + MESSAGES),
                Long.toString(TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS) + 30))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicLong got = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.equals("DONE")) {
                        got.set(WARMUP + MESSAGES);
                    } else if (line.startsWith("GOT ")) {
                        got.set(Long.parseLong(line.substring(4)));
                    }
                }
            } catch (java.io.IOException e) {
                // child gone
            }
        });
        reader.start();
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("bare subscriber did not start");
            }
            // The BMS is warm from the set-up; the fresh child JVM gets a round to compile its hot path first.
            publishAndWait(uri, "bench/in/", qos, WARMUP, i -> "bench/in/" + (i % DATAPOINTS), got::get);
            long base = got.get();
            return publishAndWait(uri, "bench/in/", qos, () -> got.get() - base);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Publishes MESSAGES to prefix + (i % DATAPOINTS); rate = MESSAGES / time until {@code done} reaches them. */
    private static double publishAndWait(String uri, String prefix, int qos, LongSupplier done) throws Exception {
        return publishAndWait(uri, prefix, qos, MESSAGES, i -> prefix + (i % DATAPOINTS), done);
    }

    private static double publishAndWait(String uri, String prefix, int qos, int messages,
                                         java.util.function.IntFunction<String> topic, LongSupplier done) throws Exception {
        MqttAsyncClient pub = client(uri, "bench-pub", false);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            MqttMessage m = new MqttMessage(Integer.toString(i % 1000).getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            publish(pub, topic.apply(i), m);
        }
        // Until all arrived, or nothing more arrives for 2 s (QoS 0 may drop): the rate counts up to the last arrival.
        long deadline = start + TIMEOUT_NANOS;
        long got = done.getAsLong();
        long lastChange = System.nanoTime();
        while (got < messages && System.nanoTime() < deadline && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(20);
            long now = done.getAsLong();
            if (now != got) {
                got = now;
                lastChange = System.nanoTime();
            }
        }
        double seconds = (lastChange - start) / 1e9;
        pub.disconnect().waitForCompletion(5000);
        pub.close();
        if (got < messages) {
            System.out.println("   " + prefix + " QoS " + qos + ": " + got + " of " + messages + " arrived");
        }
        return got / seconds;
    }

    // --- relay ---------------------------------------------------------------------------------------------------

    /** p50, p99 (ms) and count of command -> report latency at RELAY_RATE msg/s for RELAY_SECONDS. */
    private static double[] relayLatency(String uri, String prefix, boolean withBaselineRelay) throws Exception {
        MqttAsyncClient relay = null;
        if (withBaselineRelay) {
            MqttAsyncClient r = client(uri, "bench-relay", true);
            r.setCallback(new QuietCallback() {
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
        watcher.setCallback(new QuietCallback() {
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

    /** Commands as fast as one publisher sends them (QoS 0); reports per second seen on the report topics. */
    private static double relayMax(String uri, String prefix, boolean withBaselineRelay) throws Exception {
        MqttAsyncClient relay = null;
        if (withBaselineRelay) {
            MqttAsyncClient r = client(uri, "bench-relay", true);
            r.setCallback(new QuietCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) throws Exception {
                    r.publish(topic.substring(0, topic.length() - "set".length()) + "state", message.getPayload(), 0, false);
                }
            });
            r.subscribe(prefix + "+/set", 0).waitForCompletion(10_000);
            relay = r;
        }
        AtomicLong received = new AtomicLong();
        MqttAsyncClient watcher = client(uri, "bench-watch", true);
        watcher.setCallback(counting(received));
        watcher.subscribe(prefix + "+/state", 0).waitForCompletion(10_000);
        MqttAsyncClient pub = client(uri, "bench-cmd", true);
        long start = System.nanoTime();
        for (int i = 1; i <= RELAY_MAX_MESSAGES; i++) {
            MqttMessage m = new MqttMessage(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            m.setQos(0);
            publish(pub, prefix + (i % 100) + "/set", m);
        }
        long last = received.get();
        long lastChange = System.nanoTime();
        long end = System.nanoTime() + TIMEOUT_NANOS;
        while (received.get() < RELAY_MAX_MESSAGES && System.nanoTime() < end
                && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(10);
            if (received.get() != last) {
                last = received.get();
                lastChange = System.nanoTime();
            }
        }
        double seconds = (lastChange - start) / 1e9;
        for (MqttAsyncClient c : relay == null ? new MqttAsyncClient[] {pub, watcher} : new MqttAsyncClient[] {pub, watcher, relay}) {
            c.disconnect().waitForCompletion(5000);
            c.close();
        }
        if (received.get() < RELAY_MAX_MESSAGES) {
            System.out.println("   relay " + prefix + ": " + received.get() + " of " + RELAY_MAX_MESSAGES
                    + " reports (QoS 0: the rest were dropped on the way)");
        }
        return received.get() / seconds;
    }

    // --- scale -----------------------------------------------------------------------------------------------------

    /**
     * SCALE_BROKERS broker connections and SCALE_DATAPOINTS datapoints, written straight into the database while the
     * server is down (the REST API would take minutes), then: start-up time, time until every session is connected,
     * and one QoS 1 message to every datapoint's command topic, all of which must reach datapoint state.
     */
    private void scale(Http api, MicroProcess micro, Mosquitto broker, String pgUrl) throws Exception {
        System.out.println("== scale: " + SCALE_BROKERS + " brokers, " + SCALE_DATAPOINTS + " datapoints");
        micro.stop();
        int perBroker = SCALE_DATAPOINTS / SCALE_BROKERS;
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "")) {
            c.setAutoCommit(false);
            c.createStatement().execute("SET search_path TO bms_bench");
            try (var b = c.prepareStatement("INSERT INTO broker (id, name, path, host, port, client_id, username, "
                    + "password_enc, reconnect_interval, keep_alive, tls_enabled, tls_versions, tls_ca_file, "
                    + "tls_client_cert_file, tls_client_key_file, tls_key_password_enc, tls_hostname_verification, "
                    + "anti_echo_millis, enabled) VALUES (?, ?, ?, '127.0.0.1', ?, ?, '', '', 1, 30, false, '', '', '', "
                    + "'', '', true, 10000, true)");
                 var d = c.prepareStatement("INSERT INTO datapoint (id, name, path, data_type, access_mode, persistent, "
                         + "historical) VALUES (?, ?, ?, 'REAL', 'READ_WRITE', false, false)");
                 var m = c.prepareStatement("INSERT INTO mqtt_binding (id, datapoint_id, broker_id, command_topic, "
                         + "report_topic, qos, retained, payload_format, json_pointer) VALUES (?, ?, ?, ?, '', 1, false, "
                         + "'PLAIN', '')")) {
                for (int k = 0; k < SCALE_BROKERS; k++) {
                    long brokerId = 10_000_000L + k;
                    b.setLong(1, brokerId);
                    b.setString(2, "scale-" + k);
                    b.setString(3, "brokers/scale/" + k);
                    b.setInt(4, broker.port());
                    b.setString(5, "bms-scale-" + k);
                    b.addBatch();
                }
                b.executeBatch();
                for (int i = 0; i < SCALE_DATAPOINTS; i++) {
                    long id = 10_000_000L + i;
                    d.setLong(1, id);
                    d.setString(2, "scale-" + i);
                    d.setString(3, "scale/" + (i / perBroker) + "/" + i);
                    d.addBatch();
                    m.setLong(1, id);
                    m.setLong(2, id);
                    m.setLong(3, 10_000_000L + Math.min(SCALE_BROKERS - 1, i / perBroker));
                    m.setString(4, "scale/" + i + "/set");
                    m.addBatch();
                    if (i % 5000 == 4999) {
                        d.executeBatch();
                        m.executeBatch();
                    }
                }
                d.executeBatch();
                m.executeBatch();
            }
            c.commit();
        }
        long t0 = System.nanoTime();
        micro.start();
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        java.util.regex.Matcher engine = java.util.regex.Pattern.compile("BMS0600 datapoint engine ready: (\\d+) datapoints.* in (\\d+) ms")
                .matcher(micro.logText());
        String engineFigure = engine.find() ? engine.group(1) + " datapoints loaded in " + engine.group(2) + " ms" : "?";
        long connectedAt = 0;
        long end = System.nanoTime() + TIMEOUT_NANOS;
        int connected = 0;
        while (System.nanoTime() < end) {
            connected = 0;
            for (var s : api.get("system/status").json().getJsonArray("brokers")) {
                if ("CONNECTED".equals(s.asJsonObject().getString("state"))) {
                    connected++;
                }
            }
            if (connected >= SCALE_BROKERS + 2) {
                connectedAt = System.nanoTime();
                break;
            }
            Thread.sleep(100);
        }
        results.put("scale: start-up", String.format("Payara Micro ready %.1f s after launch (%s; with an empty "
                        + "database %.1f s); %d of %d sessions connected %.1f s after launch", startSeconds, engineFigure,
                emptyStartSeconds, connected, SCALE_BROKERS + 2,
                (connectedAt == 0 ? Double.NaN : (connectedAt - t0) / 1e9)));
        Thread.sleep(3000); // the last sessions' SUBSCRIBE packets
        long base = counter(api, "engine", "accepted");
        double rate = publishAndWait(broker.uri(), "scale/", 1, SCALE_DATAPOINTS,
                i -> "scale/" + i + "/set", () -> counter(api, "engine", "accepted") - base);
        results.put("scale: one message each", String.format("%,d datapoints on %d brokers, QoS 1: %,.0f msg/s, "
                + "%,d of %,d reached datapoint state", SCALE_DATAPOINTS, SCALE_BROKERS, rate,
                counter(api, "engine", "accepted") - base, SCALE_DATAPOINTS));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Where messages went: the session's counters (received, dropped, undeliverable) and the engine's. */
    private static void counts(Http api) {
        System.out.println("   session " + api.get("brokers/1/status").body());
        System.out.println("   engine " + api.get("system/status").json().getJsonObject("engine"));
    }

    /** Publishes, waiting while Paho pushes back (in-flight window or message ids used up, QoS 0 included). */
    private static void publish(MqttAsyncClient pub, String topic, MqttMessage m) throws Exception {
        while (true) {
            try {
                pub.publish(topic, m);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                        && e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE) {
                    throw e;
                }
                Thread.sleep(0, 200_000);
            }
        }
    }

    private static MqttAsyncClient client(String uri, String name, boolean noDelay) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, name + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setReceiveMaximum(1000);
        if (noDelay) {
            o.setSocketFactory(new TcpNoDelaySockets());
        }
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private static MqttCallback counting(AtomicLong count) {
        return new QuietCallback() {
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
}
