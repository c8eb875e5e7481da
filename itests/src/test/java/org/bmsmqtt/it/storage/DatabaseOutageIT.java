package org.bmsmqtt.it.storage;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.PostgresCluster;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A database outage loses no accepted value. Payara Micro runs the BMS as an operator starts it, on a PostgreSQL
 * cluster this test creates in a folder of its own; the cluster is stopped while values keep coming through the
 * admin API and an MQTT command topic, and started again. Every value the BMS accepted (a PUT answered 200, a QoS 1
 * command) must be in the history exactly once afterwards, and the persistent current value must reach the database.
 */
class DatabaseOutageIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration RECOVERY = Duration.ofSeconds(120);
    static final int BEFORE = 50;
    static final int DURING = 200;
    static final Duration MIN_OUTAGE = Duration.ofSeconds(5);

    private static PostgresCluster pg;
    private static Mosquitto mosquitto;
    private static MicroProcess micro;
    private static Http api;

    /**
     * -Dit.test replaces every failsafe execution's includes: this test runs in its own execution only (and from an
     * IDE, where no execution is named). Elsewhere it is skipped per test, so that execution still writes its summary.
     */
    static boolean inItsExecution() {
        return "db-outage".equals(System.getProperty("it.execution", "db-outage"));
    }

    @BeforeAll
    static void start() {
        if (!inItsExecution()) {
            return;
        }
        Peers.require(Peers.mosquittoInstalled(), "mosquitto is not installed (apt-get install mosquitto)");
        Peers.require(PostgresCluster.installed(), "no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin "
                + "(apt-get install postgresql)");
        Path build = TestEnvironment.buildDir();
        assertTrue(MicroProcess.available(build), "the itests build did not copy payara-micro.jar, mqtt-ra.rar and "
                + "bms.war to " + build);
        Path work = build.resolve("db-outage");
        deleteTree(work); // a fresh cluster, broker and Payara Micro root: a reused root dir deploys the apps twice

        pg = new PostgresCluster(work.resolve("pg")).start();
        pg.createDatabase("bms");
        mosquitto = Mosquitto.onFreePort(work).start();

        Map<String, String> config = new LinkedHashMap<>();
        config.put("bms.data.dir", work.resolve("bms-data").toAbsolutePath().toString());
        config.put("bms.db.url", pg.jdbcUrl("bms"));
        config.put("bms.db.user", pg.user());
        config.put("bms.mqtt.server-uri", mosquitto.uri());
        config.put("bms.mqtt.client-id", "bms-it-db-outage");
        config.put("bms.mqtt.reconnect-interval", "1");
        config.put("bms.server-id", "bms-it-db-outage");
        config.put("bms.integrated-broker.start-at-boot", "false");
        config.putAll(Http.adminConfig());
        micro = new MicroProcess(build, work.resolve("micro"), config).start();
        api = new Http(micro.api());
    }

    @AfterAll
    static void stop() {
        try {
            if (micro != null) {
                micro.close();
            }
        } finally {
            try {
                if (mosquitto != null) {
                    mosquitto.close();
                }
            } finally {
                if (pg != null) {
                    pg.close();
                }
            }
        }
    }

    @Test
    void a_database_outage_loses_no_accepted_value() {
        Assumptions.assumeTrue(inItsExecution(), "runs in the db-outage execution, not in "
                + System.getProperty("it.execution"));
        String dp = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response created = api.postJson("datapoints", "{\"name\": \"" + dp + "\", \"dataType\": \"REAL\", "
                + "\"historical\": true, \"persistent\": true}");
        assertEquals(201, created.status(), created.body());
        long broker = defaultBroker();
        String topic = "it/outage/" + dp + "/set";
        Http.Response bound = api.postJson("datapoints/" + dp + "/bindings",
                "{\"brokerId\": " + broker + ", \"commandTopic\": \"" + topic + "\", \"qos\": 1}");
        assertEquals(201, bound.status(), bound.body());

        try (MqttTestClient device = new MqttTestClient(mosquitto.uri())) {
            // --- before: values through the API, and MQTT probes until the command topic's subscription is in place
            for (int i = 1; i <= BEFORE; i++) {
                Http.Response r = api.putJson(valuePath(dp), "{\"value\": " + i + "}");
                assertEquals(200, r.status(), r.body());
            }
            List<Double> probes = probeUntilSubscribed(device, topic, dp);
            awaitQueueEmpty(WAIT);
            List<Double> baseline = historyValues(api.await(historyPath(dp), x -> x.status() == 200
                    && x.json(JsonArray.class).size() >= BEFORE + 1, WAIT));
            for (int i = 1; i <= BEFORE; i++) {
                assertEquals(1, count(baseline, i), "value " + i + " before the outage: " + baseline);
            }
            assertEquals(1, count(baseline, probes.get(probes.size() - 1)), "the accepted probe: " + baseline);
            for (double v : baseline) {
                assertTrue(v >= 1 && v <= BEFORE && v == Math.rint(v) || probes.contains(v) && count(baseline, v) == 1,
                        "unexpected value before the outage: " + v + " in " + baseline);
            }

            // --- the outage: the database goes away while values keep coming
            pg.stop();
            long outageStart = System.nanoTime();
            List<Double> expected = new ArrayList<>(baseline);
            List<Double> viaMqtt = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            double last = Double.NaN;
            for (int i = 1; i <= DURING; i++) {
                double v = 1000 + i;
                if (i <= DURING - 50 && i % 3 == 0) {
                    device.publish(topic, Double.toString(v), 1); // QoS 1: the broker has it, the BMS will take it
                    viaMqtt.add(v);
                    expected.add(v);
                } else {
                    int status = put(dp, v, refused);
                    if (status == 200) {
                        expected.add(v);
                        last = v;
                    }
                }
            }
            Http.Response degraded = api.await("system/status",
                    x -> x.status() == 200 && x.json().getJsonObject("history").getBoolean("degraded"), WAIT);
            assertEquals(200, degraded.status(), "system/status while the database is down: " + degraded.body());
            JsonObject queue = degraded.json().getJsonObject("history");
            assertTrue(queue.getBoolean("degraded"), "not degraded while the database is down: " + queue);
            assertTrue(queue.getInt("depth") > 0, "nothing waiting while the database is down: " + queue);
            assertTrue(refused.isEmpty(), "values refused while the database was down (" + refused.size() + " of "
                    + (DURING - viaMqtt.size()) + " PUTs): " + refused.subList(0, Math.min(5, refused.size())));
            long outageNanos = System.nanoTime() - outageStart;
            if (outageNanos < MIN_OUTAGE.toNanos()) {
                sleep((MIN_OUTAGE.toNanos() - outageNanos) / 1_000_000);
            }

            // --- recovery: the database comes back; the queue must drain into it
            pg.start();
            Http.Response recovered = api.await("system/status", x -> x.status() == 200
                    && !x.json().getJsonObject("history").getBoolean("degraded")
                    && x.json().getJsonObject("history").getInt("depth") == 0, RECOVERY);
            assertEquals(200, recovered.status(), "system/status after the database came back: " + recovered.body());
            JsonObject after = recovered.json().getJsonObject("history");
            assertTrue(!after.getBoolean("degraded") && after.getInt("depth") == 0,
                    "the queue did not drain within " + RECOVERY.toSeconds() + " s of the database coming back: "
                            + after + "\nsee " + micro.log());

            Map<Double, Long> want = multiset(expected);
            Http.Response history = api.await(historyPath(dp),
                    x -> x.status() == 200 && multiset(historyValues(x)).equals(want), WAIT);
            assertEquals(200, history.status(), history.body());
            assertMultisetEquals(want, multiset(historyValues(history)));

            // the current value: the last accepted one, in memory and (persistent) in the database
            Http.Response value = api.get(valuePath(dp));
            assertEquals(200, value.status(), value.body());
            assertEquals(last, value.json().getJsonNumber("value").doubleValue(), value.body());
            String stored = awaitStoredValue(dp, Double.toString(last));
            assertEquals(Double.toString(last), stored, "the persistent value in the database");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private static String valuePath(String dp) {
        return "datapoints/" + dp + "/value";
    }

    private static String historyPath(String dp) {
        return "datapoints/" + dp + "/history?limit=100000";
    }

    /** The id of the broker {@code default} (stored at first start from bms.mqtt.server-uri), once it is CONNECTED. */
    private static long defaultBroker() {
        Http.Response brokers = api.get("brokers");
        assertEquals(200, brokers.status(), brokers.body());
        long id = -1;
        for (JsonValue b : brokers.json(JsonArray.class)) {
            if ("default".equals(b.asJsonObject().getString("name"))) {
                id = b.asJsonObject().getJsonNumber("id").longValue();
            }
        }
        assertTrue(id > 0, "no broker named default: " + brokers.body());
        Http.Response s = api.await("brokers/" + id + "/status",
                x -> x.status() == 200 && "CONNECTED".equals(x.json().getString("state")), WAIT);
        assertEquals("CONNECTED", s.json().getString("state"), s.body());
        return id;
    }

    /**
     * Publishes distinct negative values until one becomes the datapoint's value: from then on the command topic is
     * subscribed, and QoS 1 commands reach the BMS. Returns every probe published, the accepted one last.
     */
    private static List<Double> probeUntilSubscribed(MqttTestClient device, String topic, String dp) {
        List<Double> probes = new ArrayList<>();
        long end = System.nanoTime() + WAIT.toNanos();
        for (double probe = -1; System.nanoTime() < end; probe--) {
            device.publish(topic, Double.toString(probe), 1);
            probes.add(probe);
            double p = probe;
            Http.Response r = api.await(valuePath(dp), x -> x.status() == 200 && Http.present(x.json(), "value")
                    && x.json().getJsonNumber("value").doubleValue() == p, Duration.ofSeconds(2));
            if (r.status() == 200 && Http.present(r.json(), "value") && r.json().getJsonNumber("value").doubleValue() == p) {
                return probes;
            }
        }
        throw new AssertionError("no command on " + topic + " reached " + dp + " within " + WAIT.toSeconds() + " s");
    }

    private static void awaitQueueEmpty(Duration timeout) {
        Http.Response r = api.await("system/status", x -> x.status() == 200
                && x.json().getJsonObject("history").getInt("depth") == 0, timeout);
        assertEquals(0, r.json().getJsonObject("history").getInt("depth"), r.body());
    }

    /** PUTs a value; returns the status (0 when the request itself failed), noting every refusal. */
    private static int put(String dp, double v, List<String> refused) {
        try {
            Http.Response r = api.putJson(valuePath(dp), "{\"value\": " + v + "}");
            if (r.status() != 200) {
                refused.add(v + " -> " + r.status() + " " + r.body());
            }
            return r.status();
        } catch (IllegalStateException e) {
            refused.add(v + " -> " + e.getMessage());
            return 0;
        }
    }

    private static List<Double> historyValues(Http.Response r) {
        if (r.status() != 200) {
            return List.of();
        }
        List<Double> values = new ArrayList<>();
        for (JsonValue e : r.json(JsonArray.class)) {
            values.add(Double.valueOf(e.asJsonObject().getString("value")));
        }
        return values;
    }

    private static long count(List<Double> values, double v) {
        return values.stream().filter(x -> x == v).count();
    }

    private static Map<Double, Long> multiset(List<Double> values) {
        Map<Double, Long> m = new TreeMap<>();
        values.forEach(v -> m.merge(v, 1L, Long::sum));
        return m;
    }

    private static void assertMultisetEquals(Map<Double, Long> want, Map<Double, Long> got) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (Map.Entry<Double, Long> e : want.entrySet()) {
            long n = got.getOrDefault(e.getKey(), 0L);
            if (n < e.getValue()) {
                missing.add(e.getKey() + (e.getValue() - n > 1 ? " x" + (e.getValue() - n) : ""));
            }
        }
        for (Map.Entry<Double, Long> e : got.entrySet()) {
            long n = want.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > n) {
                extra.add(e.getKey() + (e.getValue() - n > 1 ? " x" + (e.getValue() - n) : ""));
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            fail("history after the outage differs from the accepted values: missing " + missing + ", not accepted "
                    + "or duplicated " + extra);
        }
    }

    /** The persistent value as the database holds it, once it equals {@code want} (or the last seen at the deadline). */
    private static String awaitStoredValue(String dp, String want) {
        long end = System.nanoTime() + WAIT.toNanos();
        String seen = null;
        while (System.nanoTime() < end) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("bms"), pg.user(), "");
                 PreparedStatement ps = c.prepareStatement("SELECT value_text FROM datapoint WHERE name = ?")) {
                ps.setString(1, dp);
                try (ResultSet rs = ps.executeQuery()) {
                    seen = rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                seen = "(" + e.getMessage() + ")";
            }
            if (want.equals(seen)) {
                return seen;
            }
            sleep(200);
        }
        return seen;
    }

    private static void deleteTree(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
