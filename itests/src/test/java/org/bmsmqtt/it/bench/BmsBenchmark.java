package org.bmsmqtt.it.bench;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.TcpNoDelaySockets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The BMS end to end, against baselines measured in the same run on the same mosquitto: ingest into datapoint state
 * (QoS 0 and 1) against a bare Paho subscriber, history rows per second into PostgreSQL, the relay path (command
 * topic -> datapoint -> report topic on the same broker, {@link RelayBench}) against a trivial Paho relay, and scale
 * ({@link ScaleBench}). Ingest and relay run on two mosquittos: "stock" (mosquitto's own limits, as users run it) and
 * "tuned" (both limits lifted, TCP_NODELAY on its sockets); history and scale on the tuned one. Payara Micro runs as its own process with
 * PostgreSQL (schema {@code bench.schema}, default bms_bench, dropped first: give each checkout on a shared
 * PostgreSQL its own). {@code -Dbench.phases=ingest,history,relay,scale} (or {@code all})
 * picks the phases; the set-up creates only what they need. Everything is bounded in count and time; loopback only.
 */
public final class BmsBenchmark {

    /** The PostgreSQL schema this run drops and uses; -Dbench.schema=... keeps two checkouts on one database apart. */
    static final String SCHEMA = System.getProperty("bench.schema", "bms_bench");

    static final List<String> PHASES = List.of("ingest", "history", "relay", "scale");
    static final int DATAPOINTS = Integer.getInteger("bench.datapoints", 10_000);
    static final int MESSAGES = Integer.getInteger("bench.messages", 100_000);
    /** The relay phase's QoS levels ({@code -Dbench.relayQos=0}: only the QoS 0 rows, half the time). */
    static final int[] RELAY_QOS = relayQos(System.getProperty("bench.relayQos", "0,1"));
    static final int SETUP_THREADS = 4;
    static final int WARMUP = 50_000;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.timeoutSeconds", 120));

    /** A mosquitto and the BMS broker (created through the REST API) that connects to it. */
    record Target(String label, Mosquitto broker, long brokerId) {
    }

    /** What a publishing phase saw: the rate up to the last arrival, how many arrived of how many sent. */
    record Flow(double rate, long got, long sent) {
        String text(String what) {
            return String.format("%s %,.0f msg/s (%,d of %,d%s)", what, rate, got, sent,
                    got < sent ? ", lost " + String.format("%,d", sent - got) : "");
        }
    }

    private final Map<String, String> results = new LinkedHashMap<>();
    private final Set<String> phases = parsePhases(System.getProperty("bench.phases", "all"));
    private RelayBench relay;

    public static void main(String[] args) throws Exception {
        new BmsBenchmark().run();
        System.exit(0);
    }

    static Set<String> parsePhases(String spec) {
        Set<String> s = new LinkedHashSet<>();
        for (String p : spec.toLowerCase(java.util.Locale.ROOT).split("[,\\s]+")) {
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("all")) {
                s.addAll(PHASES);
            } else if (PHASES.contains(p)) {
                s.add(p);
            } else {
                throw new IllegalArgumentException("bench.phases: unknown phase '" + p + "'; use all or a comma list of " + PHASES);
            }
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("bench.phases: no phase given; use all or a comma list of " + PHASES);
        }
        return s;
    }

    /** A comma list of 0 and 1; anything else is refused with the value named (not skipped). */
    static int[] relayQos(String list) {
        int[] qos = java.util.Arrays.stream(list.split(",")).map(String::trim).filter(q -> !q.isEmpty())
                .mapToInt(q -> {
                    if (!q.equals("0") && !q.equals("1")) {
                        throw new IllegalArgumentException("bench.relayQos: '" + q + "' is not 0 or 1 (list: "
                                + list + ")");
                    }
                    return Integer.parseInt(q);
                }).distinct().toArray();
        if (qos.length == 0) {
            throw new IllegalArgumentException("bench.relayQos: no QoS given; use 0, 1 or 0,1");
        }
        return qos;
    }

    void run() throws Exception {
        long runStart = System.nanoTime();
        Path build = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
        String pgUrl = System.getProperty("it.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        // A fresh Payara Micro root: one left by an earlier run would deploy its old bms.war first (twice the start-up,
        // and its migrations), then the new one.
        for (Path stale : List.of(build.resolve("bench/micro"), build.resolve("bench/data"))) {
            deleteTree(stale);
        }
        System.out.println("== phases " + phases);
        try {
            measure(build, pgUrl);
        } finally { // what was measured, also when a later phase failed
            summary(runStart);
        }
    }

    private void measure(Path build, String pgUrl) throws Exception {
        try (Mosquitto stock = Mosquitto.onFreePort(build.resolve("bench")).withStockLimits().start();
             Mosquitto tuned = Mosquitto.onFreePort(build.resolve("bench")).start();
             MicroProcess micro = new MicroProcess(build, build.resolve("bench/micro"), Map.of(
                     "bms.data.dir", build.resolve("bench/data").toString(),
                     "bms.db.url", pgUrl, "bms.db.user", "postgres", "bms.db.schema", SCHEMA,
                     "bms.mqtt.server-uri", tuned.uri(), "bms.mqtt.client-id", "bms-bench-in",
                     "bms.mqtt.reconnect-interval", "1", "bms.server-id", "bms-bench",
                     "bms.admin.password", Http.ADMIN_PASSWORD, "bms.integrated-broker.start-at-boot", "false"))) {
            long launched = System.nanoTime();
            micro.start();
            double emptyStartSeconds = (System.nanoTime() - launched) / 1e9;
            Http api = new Http(URI.create("http://127.0.0.1:" + micro.port() + "/bms/api/v1/"));
            List<Target> targets = List.of(target(api, "stock", stock), target(api, "tuned", tuned));
            System.out.println("   stock mosquitto " + stock.uri() + " (Receive Maximum 20, max_queued_messages 1000), "
                    + "tuned " + tuned.uri() + " (limits lifted, TCP_NODELAY); default broker 1 (history, scale) on the tuned one");
            setUp(api, targets);

            if (phases.contains("ingest")) {
                for (Target t : targets) {
                    for (int qos : new int[] {0, 1}) {
                        System.out.println("== ingest " + t.label() + " QoS " + qos);
                        Flow bare = bareIngest(t.broker().uri(), qos);
                        long base = counter(api, "engine", "accepted");
                        Flow bms = publishAndWait(t.broker().uri(), "bench/in/", qos,
                                () -> counter(api, "engine", "accepted") - base);
                        counts(api, t.brokerId());
                        results.put("ingest QoS " + qos + " " + t.label(), bare.text("bare Paho") + " | "
                                + bms.text("BMS datapoint state") + String.format(" | ratio %.2f", bms.rate() / bare.rate()));
                    }
                }
            }
            if (phases.contains("history")) {
                System.out.println("== history (tuned mosquitto, default broker)");
                long written = counter(api, "history", "written");
                Flow rows = publishAndWait(tuned.uri(), "bench/h/", 1, () -> counter(api, "history", "written") - written);
                counts(api, 1);
                JsonObject h = api.get("system/status").json().getJsonObject("history");
                results.put("history into PostgreSQL", String.format("%,.0f rows/s (QoS 1 in, tuned; %,d of %,d; "
                                + "refused %d, degraded %s)", rows.rate(), rows.got(), rows.sent(),
                        h.getJsonNumber("refused").longValue(), h.getBoolean("degraded")));
            }
            if (phases.contains("relay")) {
                relay = new RelayBench(api, micro::pid);
                for (Target t : targets) {
                    for (int qos : RELAY_QOS) {
                        relay.run(t, qos);
                    }
                }
            }
            if (phases.contains("scale") && ScaleBench.SCALE_DATAPOINTS > 0) {
                int sessions = api.get("system/status").json().getJsonArray("brokers").size();
                ScaleBench.run(api, micro, tuned, pgUrl, sessions, emptyStartSeconds, results);
            }
        }
    }

    private void summary(long runStart) {
        System.out.println();
        System.out.println("== BMS benchmark (phases " + phases + "; " + DATAPOINTS + " datapoints per ingest/history phase, "
                + MESSAGES + " messages; baselines measured in the same run on the same mosquitto)");
        System.out.println("   stock = mosquitto's limits (Receive Maximum 20, max_queued_messages 1000), tuned = both "
                + "lifted and TCP_NODELAY on its sockets (mosquitto default: off); history and scale on the tuned mosquitto");
        results.forEach((k, v) -> System.out.println(String.format("%-26s %s", k, v)));
        if (relay != null) {
            relay.print();
        }
        System.out.println(String.format("(run took %.0f s)", (System.nanoTime() - runStart) / 1e9));
    }

    private static Target target(Http api, String label, Mosquitto m) {
        return new Target(label, m, id(api.postJson("brokers", "{\"name\": \"" + label + "\", \"host\": \"127.0.0.1\", "
                + "\"port\": " + m.port() + ", \"clientId\": \"bms-bench-" + label + "\", \"reconnectIntervalSeconds\": 1}")));
    }

    /** The datapoints the chosen phases need, through the REST API by SETUP_THREADS clients. */
    private void setUp(Http api, List<Target> targets) throws Exception {
        boolean ingest = phases.contains("ingest");
        boolean history = phases.contains("history");
        boolean relay = phases.contains("relay");
        System.out.println("== setting up " + (ingest ? DATAPOINTS : 0) + " ingest (bound to stock and tuned), "
                + (history ? DATAPOINTS : 0) + " history and " + (relay ? RelayBench.datapointCount(targets) : 0)
                + " relay datapoints through the REST API (" + SETUP_THREADS + " clients)");
        AtomicInteger changes = new AtomicInteger();
        long setupStart = System.nanoTime();
        ExecutorService setup = Executors.newFixedThreadPool(SETUP_THREADS);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < DATAPOINTS && (ingest || history); i++) {
            int n = i;
            work.add(setup.submit(() -> {
                if (ingest) {
                    datapoint(api, "in-" + n, "REAL", false, "{\"brokerId\": " + targets.get(0).brokerId()
                            + ", \"commandTopic\": \"bench/in/" + n + "\"}");
                    bind(api, "in-" + n, "{\"brokerId\": " + targets.get(1).brokerId() + ", \"commandTopic\": \"bench/in/" + n + "\"}");
                    changes.addAndGet(3);
                }
                if (history) {
                    datapoint(api, "h-" + n, "REAL", true, "{\"brokerId\": 1, \"commandTopic\": \"bench/h/" + n + "\"}");
                    changes.addAndGet(2);
                }
            }));
        }
        if (relay) {
            RelayBench.setUp(api, targets, r -> work.add(setup.submit(() -> {
                r.run();
                changes.addAndGet(2);
            })));
        }
        try {
            for (var f : work) {
                f.get();
            }
        } finally {
            setup.shutdown();
        }
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        results.put("configuration via REST", String.format("%,d changes (datapoints, bindings) in %.1f s: %,.0f/s",
                changes.get(), setupSeconds, changes.get() / setupSeconds));
        System.out.println("   " + results.get("configuration via REST"));
        Thread.sleep(2000); // subscriptions settle
    }

    // --- ingest --------------------------------------------------------------------------------------------------

    /** A bare Paho subscriber in its own JVM (as the BMS is), on the same topics; publisher here as for the BMS. */
    private Flow bareIngest(String uri, int qos) throws Exception {
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
            long warm = got.get();
            publishAndWait(uri, "bench/in/", qos, WARMUP, i -> "bench/in/" + (i % DATAPOINTS), () -> got.get() - warm);
            long base = got.get();
            return publishAndWait(uri, "bench/in/", qos, () -> got.get() - base);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Publishes MESSAGES to prefix + (i % DATAPOINTS); rate = MESSAGES / time until {@code done} reaches them. */
    private static Flow publishAndWait(String uri, String prefix, int qos, LongSupplier done) throws Exception {
        return publishAndWait(uri, prefix, qos, MESSAGES, i -> prefix + (i % DATAPOINTS), done);
    }

    static Flow publishAndWait(String uri, String prefix, int qos, int messages, IntFunction<String> topic,
                               LongSupplier done) throws Exception {
        MqttAsyncClient pub = client(uri, "bench-pub", false);
        long start = System.nanoTime();
        long deadline = start + TIMEOUT_NANOS;
        int sent = 0;
        for (int i = 0; i < messages; i++) {
            MqttMessage m = new MqttMessage(Integer.toString(i % 1000).getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            if (!publish(pub, topic.apply(i), m, deadline)) {
                System.out.println("   " + prefix + " QoS " + qos + ": publisher held back past the time limit after " + i);
                break;
            }
            sent++;
        }
        // Until all arrived, or nothing more arrives for 2 s (QoS 0 may drop): the rate counts up to the last arrival.
        long got = done.getAsLong();
        long lastChange = System.nanoTime();
        while (got < sent && System.nanoTime() < deadline && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(2)) {
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
        if (got < sent) {
            System.out.println("   " + prefix + " QoS " + qos + ": " + got + " of " + sent + " arrived");
        }
        return new Flow(got / seconds, got, sent);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Where messages went: the session's counters (received, dropped, undeliverable) and the engine's. */
    static void counts(Http api, long brokerId) {
        System.out.println("   session " + api.get("brokers/" + brokerId + "/status").body());
        System.out.println("   engine " + api.get("system/status").json().getJsonObject("engine"));
    }

    /**
     * Publishes, waiting while Paho pushes back (in-flight window or message ids used up, QoS 0 included); false
     * when it still pushes back at {@code deadline} (System.nanoTime), the message then not sent.
     */
    static boolean publish(MqttAsyncClient pub, String topic, MqttMessage m, long deadline) throws MqttException {
        while (true) {
            try {
                pub.publish(topic, m);
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
                        && e.getReasonCode() != MqttClientException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    static MqttAsyncClient client(String uri, String name, boolean noDelay) throws MqttException {
        return client(uri, name, noDelay, 60);
    }

    /** @param keepAliveSeconds 0: no PINGREQ at all (see {@link RelaySide}'s watcher for why that can matter) */
    static MqttAsyncClient client(String uri, String name, boolean noDelay, int keepAliveSeconds) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, name + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(keepAliveSeconds);
        o.setReceiveMaximum(1000);
        if (noDelay) {
            o.setSocketFactory(new TcpNoDelaySockets());
        }
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    static long id(Http.Response r) {
        if (r.status() != 201) {
            throw new IllegalStateException("setup failed: " + r.status() + " " + r.body());
        }
        return r.json().getJsonNumber("id").longValue();
    }

    static void datapoint(Http api, String name, String type, boolean historical, String binding) {
        id(api.postJson("datapoints", "{\"name\": \"" + name + "\", \"dataType\": \"" + type + "\", \"historical\": "
                + historical + ", \"persistent\": false}"));
        bind(api, name, binding);
    }

    static void bind(Http api, String name, String binding) {
        id(api.postJson("datapoints/" + name + "/bindings", binding));
    }

    static long counter(Http api, String group, String name) {
        return api.get("system/status").json().getJsonObject(group).getJsonNumber(name).longValue();
    }
}
