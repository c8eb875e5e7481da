package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Active-active relay throughput, a phase of {@code mvn -Pbench-cluster}: 1, 2 and 3 Payara Micro members (one
 * PostgreSQL schema, one data grid on loopback) hold a stock mosquitto as a shared broker
 * ({@code bms.cluster.shared-brokers}); 100 INTEGER datapoints relay {@code aa/<i>/set} to {@code aa/<i>/state}
 * ({@link RelaySide}, as the relay benchmark). For each member count, QoS 0 commands at rising rates (3 s each) and the
 * highest rate with nothing lost and p99 at most 100 ms, against a trivial Paho relay on the same broker measured
 * first in the same run (the baseline). All members run on this one host, so they share its cores: the figure says
 * what the members cost each other here, not what separate machines would give.
 */
final class ActiveActiveBenchmark {

    private static final int[] RATES = {1_000, 2_000, 3_000, 4_000, 6_000, 8_000, 12_000, 16_000, 24_000};
    private static final int SECONDS = 3;
    private static final int MEMBERS = Integer.getInteger("bench.aaMembers", 3);
    /** Which brokers are shared; {@code -Dbench.aaShared=} (none) compares with the main alone holding the broker. */
    private static final String SHARED = System.getProperty("bench.aaShared", "default");
    /** {@code -Dbench.aaCluster=false}: one server without clustering (no data grid), for comparison. */
    private static final boolean CLUSTER = !"false".equals(System.getProperty("bench.aaCluster", "true"));

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
        AtomicLong sequence = new AtomicLong();
        try (Mosquitto broker = Mosquitto.onFreePort(work).withStockLimits().start()) {
            int baseline;
            try (TrivialRelay relay = TrivialRelay.start(broker.uri(), "base/", 0);
                 RelaySide trivial = new RelaySide(broker.uri(), "trivial relay", "base/", 0, relay, relay::cpuSeconds,
                         sequence)) {
                baseline = sustained(trivial);
            }
            rows.add(String.format("trivial Paho relay (baseline): sustained %,d msg/s", baseline));
            try (RelaySide side = new RelaySide(broker.uri(), "BMS", "aa/", 0, null, () -> Double.NaN, sequence)) {
                for (int n = 1; n <= MEMBERS; n++) {
                    members.add(member(work, n - 1, broker).start());
                    if (n == 1) {
                        configure(new Http(members.get(0).api()));
                    }
                    side.measure(1_000, 3_000, "warm-up, " + n + " member(s)"); // class loading, JIT, subscriptions
                    int rate = sustained(side);
                    rows.add(String.format("%d member(s): sustained %,d msg/s = %.2fx the trivial relay", n, rate,
                            baseline == 0 ? Double.NaN : rate / (double) baseline));
                }
            }
        } finally {
            for (MicroProcess m : members) {
                m.close();
            }
        }
        System.out.println();
        System.out.println("== active-active relay throughput (stock mosquitto, QoS 0, shared subscriptions, every member"
                + " and the broker on one 2-core host)");
        rows.forEach(System.out::println);
    }

    /** The highest of RATES with nothing lost and p99 at most 100 ms, 3 s a step (0: not even the first). */
    private static int sustained(RelaySide side) throws Exception {
        int best = 0;
        for (int rate : RATES) {
            RelayBench.Result r = side.measure(rate, rate * SECONDS, "step " + rate + " msg/s");
            if (!r.sustained()) {
                break;
            }
            best = rate;
        }
        return best;
    }

    /** 100 datapoints bound on the broker "default" (id 1), the shared one, as RelaySide numbers its topics. */
    private void configure(Http api) {
        for (int i = 0; i < RelayBench.POINTS; i++) {
            check(api.postJson("datapoints", "{\"name\": \"aa-" + i + "\", \"dataType\": \"INTEGER\"}"));
            check(api.postJson("datapoints/aa-" + i + "/bindings", "{\"brokerId\": 1, \"commandTopic\": \"aa/" + i
                    + "/set\", \"reportTopic\": \"aa/" + i + "/state\", \"qos\": 0}")); // QoS 0 both ways, as measured
        }
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
        config.put("bms.cluster.enabled", Boolean.toString(CLUSTER));
        config.put("bms.cluster.member", name);
        config.put("bms.cluster.shared-brokers", SHARED);
        config.put("bms.integrated-broker.start-at-boot", "false");
        if (!CLUSTER) {
            return new MicroProcess(build, dir.resolve("micro"), config);
        }
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
