package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Active-active relay throughput, a phase of {@code mvn -Pbench-cluster}: 1, 2 and 3 Payara Micro members (one
 * PostgreSQL schema, one data grid on loopback) hold a stock mosquitto as a shared broker
 * ({@code bms.cluster.shared-brokers}); 100 INTEGER datapoints relay {@code aa/<i>/set} to {@code aa/<i>/state}. For
 * each member count, QoS 0 commands at rising rates (3 s each): what arrived, latency p50 / p99, and the highest rate
 * with nothing lost and p99 at most 100 ms. All members run on this one host, so they share its cores: the figure says
 * what the members cost each other here, not what separate machines would give.
 */
final class ActiveActiveBenchmark {

    private static final int TOPICS = 100;
    private static final int[] RATES = {1_000, 2_000, 4_000, 8_000, 16_000};
    private static final int SECONDS = 3;

    private final Path build;
    private final String pgUrl;
    private final String pgUser;
    private final String schema = "bms_bench_aa";
    private final int[] grid = {Peers.freePort(), Peers.freePort(), Peers.freePort()};
    private final List<MicroProcess> members = new ArrayList<>();

    ActiveActiveBenchmark(Path build, String pgUrl, String pgUser) {
        this.build = build;
        this.pgUrl = pgUrl;
        this.pgUser = pgUser;
    }

    void run(Path work) throws Exception {
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        List<String> rows = new ArrayList<>();
        try (Mosquitto broker = Mosquitto.onFreePort(work).withStockLimits().start()) {
            for (int n = 1; n <= 3; n++) {
                members.add(member(work, n - 1, broker).start());
                if (n == 1) {
                    configure(new Http(members.get(0).api()));
                }
                warmUp(broker);
                int sustained = 0;
                StringBuilder steps = new StringBuilder();
                for (int rate : RATES) {
                    double[] r = step(broker, rate);
                    steps.append(String.format("  %,6d msg/s: %,d of %,d arrived, p50 %.1f ms, p99 %.1f ms%n", rate,
                            (long) r[0], (long) r[1], r[2], r[3]));
                    if (r[0] < r[1] || r[3] > 100) {
                        break;
                    }
                    sustained = rate;
                }
                System.out.print("active-active, " + n + " member(s):\n" + steps);
                rows.add(String.format("%d member(s): sustained %,d msg/s (nothing lost, p99 <= 100 ms)", n, sustained));
            }
        } finally {
            for (MicroProcess m : members) {
                m.close();
            }
        }
        System.out.println();
        System.out.println("== active-active relay throughput (stock mosquitto, shared subscriptions, one 2-core host)");
        rows.forEach(System.out::println);
    }

    /** 100 datapoints bound on the broker "default" (id 1), the shared one. */
    private void configure(Http api) {
        for (int i = 0; i < TOPICS; i++) {
            check(api.postJson("datapoints", "{\"name\": \"aa-" + i + "\", \"dataType\": \"INTEGER\"}"));
            check(api.postJson("datapoints/aa-" + i + "/bindings", "{\"brokerId\": 1, \"commandTopic\": \"aa/" + i
                    + "/set\", \"reportTopic\": \"aa/" + i + "/state\"}"));
        }
    }

    /** Class loading and JIT of the members that just started: not measured. */
    private void warmUp(Mosquitto broker) throws Exception {
        step(broker, 1_000);
    }

    /** {arrived, sent, p50 ms, p99 ms} of SECONDS at {@code rate} msg/s over the topics. */
    private double[] step(Mosquitto broker, int rate) throws Exception {
        int count = rate * SECONDS;
        long[] sentAt = new long[count];
        long[] latency = new long[count];
        AtomicInteger arrived = new AtomicInteger();
        MqttAsyncClient sub = client(broker);
        sub.setCallback(new org.bmsmqtt.ra.testing.QuietCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                int i = Integer.parseInt(new String(m.getPayload(), StandardCharsets.US_ASCII));
                if (i >= 0 && i < count && latency[i] == 0) {
                    latency[i] = Math.max(1, System.nanoTime() - sentAt[i]);
                    arrived.incrementAndGet();
                }
            }
        });
        sub.subscribe(new MqttSubscription("aa/+/state", 0)).waitForCompletion(10_000);
        MqttAsyncClient pub = client(broker);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            MqttMessage m = new MqttMessage(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            m.setQos(0);
            sentAt[i] = System.nanoTime();
            pub.publish("aa/" + (i % TOPICS) + "/set", m);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        long end = System.nanoTime() + 5_000_000_000L;
        while (arrived.get() < count && System.nanoTime() < end) {
            LockSupport.parkNanos(20_000_000);
        }
        pub.disconnect().waitForCompletion(5_000);
        sub.disconnect().waitForCompletion(5_000);
        pub.close();
        sub.close();
        long[] got = Arrays.stream(latency).filter(l -> l > 0).sorted().toArray();
        return new double[] {got.length, count, percentile(got, 0.50), percentile(got, 0.99)};
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static MqttAsyncClient client(Mosquitto broker) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), "bench-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setMaxReconnectDelay(1000);
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private MicroProcess member(Path work, int index, Mosquitto broker) {
        String name = "abc".substring(index, index + 1);
        Map<String, String> config = new LinkedHashMap<>(Http.adminConfig());
        Path dir = work.resolve("aa-" + name + "-" + System.nanoTime());
        config.put("bms.data.dir", dir.resolve("data").toString());
        config.put("bms.db.url", pgUrl);
        config.put("bms.db.user", pgUser);
        config.put("bms.db.schema", schema);
        config.put("bms.mqtt.server-uri", "tcp://127.0.0.1:" + broker.port()); // the broker "default", id 1
        config.put("bms.mqtt.client-id", "bms-bench-aa");
        config.put("bms.mqtt.reconnect-interval", "1");
        config.put("bms.server-id", "bench-aa");
        config.put("bms.cluster.enabled", "true");
        config.put("bms.cluster.member", name);
        config.put("bms.cluster.shared-brokers", "default");
        config.put("bms.integrated-broker.start-at-boot", "false");
        return new MicroProcess(build, dir.resolve("micro"), config).clustering("--clustermode",
                "tcpip:127.0.0.1:" + grid[0] + ",127.0.0.1:" + grid[1] + ",127.0.0.1:" + grid[2], "--startport",
                Integer.toString(grid[index]), "--interfaces", "127.0.0.1", "--clustername", "bms-bench-aa");
    }

    private static void check(Http.Response r) {
        if (r.status() / 100 != 2) {
            throw new IllegalStateException(r.status() + " " + r.body());
        }
    }
}
