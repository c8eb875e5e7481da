package org.bmsmqtt.it.cluster;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Main and backup: two Payara Micro processes on one PostgreSQL schema with {@code bms.cluster.enabled}, the same
 * default broker (same client id) on a mosquitto of their own, in one Payara data grid (TCP/IP members on loopback,
 * never multicast). Values of a backupSync datapoint reach the backup and survive the takeover. The first is main and relays commands to reports; the
 * backup holds no session, answers reads and refuses commands; kill -9 of the main makes the backup main (takeover
 * time printed), and it relays; the old main comes back as backup. micro-postgres only: the members share a database.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-postgres",
        disabledReason = "cluster members share a PostgreSQL database: micro-postgres only")
@ExtendWith(RequiredPeers.class)
class ClusterMicroIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<AutoCloseable> resources = new ArrayList<>();

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    @Test
    void one_main_relays_the_backup_waits_and_takes_over_after_kill_minus_9() throws Exception {
        Path build = TestEnvironment.buildDir();
        assertTrue(MicroProcess.available(build), "the itests build did not copy the server and the applications");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String schema = System.getProperty("it.pg.schema", "bms_it") + "_cluster";
        TestEnvironment.resetSchema(schema);
        Mosquitto broker = Mosquitto.onFreePort(Specs.workDir()).start();
        resources.add(broker);

        int gridA = org.bmsmqtt.ra.testing.Peers.freePort();
        int gridB = org.bmsmqtt.ra.testing.Peers.freePort();
        String members = "tcpip:127.0.0.1:" + gridA + ",127.0.0.1:" + gridB;
        MicroProcess a = member(build, run, "a", schema, broker, members, gridA).start();
        Http apiA = new Http(a.api());
        JsonObject clusterA = apiA.get("cluster").json();
        assertEquals("MAIN", clusterA.getString("role"), clusterA.toString());
        assertEquals("a", clusterA.getString("main"), clusterA.toString());

        String dp = "cl-" + run;
        assertEquals(201, apiA.postJson("datapoints", "{\"name\": \"" + dp + "\", \"dataType\": \"INTEGER\", "
                + "\"persistent\": true}").status());
        assertEquals(201, apiA.postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": 1, \"commandTopic\": "
                + "\"cl/" + run + "/set\", \"reportTopic\": \"cl/" + run + "/state\"}").status());

        String synced = "sync-" + run; // not persistent: after a takeover its value can only come from the data grid
        assertEquals(201, apiA.postJson("datapoints", "{\"name\": \"" + synced + "\", \"dataType\": \"INTEGER\", "
                + "\"persistent\": false, \"backupSync\": true}").status());
        assertEquals(201, apiA.postJson("datapoints/" + synced + "/bindings", "{\"brokerId\": 1, \"commandTopic\": "
                + "\"sync/" + run + "/set\"}").status());

        MicroProcess b = member(build, run, "b", schema, broker, members, gridB).start();
        Http apiB = new Http(b.api());
        JsonObject clusterB = apiB.get("cluster").json();
        assertEquals("BACKUP", clusterB.getString("role"), clusterB.toString());
        assertEquals("a", clusterB.getString("main"), clusterB.toString());
        assertEquals(dp, apiB.get("datapoints/" + dp).json().getString("name"), "a backup answers reads");
        assertEquals(0.0, metric(b, "bms_cluster_main"), "the backup's gauge");
        assertEquals(1.0, metric(a, "bms_cluster_main"), "the main's gauge");
        assertTrue(root(b).get("health/ready").body().contains("\"role\":\"BACKUP\""), "readiness check cluster");
        Http.Response refused = apiB.putJson("datapoints/" + dp + "/value", "{\"value\": 5}");
        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"cluster\""), "the problem names the field: " + refused.body());
        Http.Response change = apiB.postJson("datapoints", "{\"name\": \"other-" + run + "\", \"dataType\": \"REAL\"}");
        assertEquals(409, change.status(), "configuration changes go to the main: " + change.body());

        try (MqttTestClient client = new MqttTestClient(broker.uri())) {
            client.subscribe("cl/" + run + "/state", 1);
            assertEquals("1", relay(client, run, "1"), "the main relays");
            client.publish("cl/" + run + "/set", "7", 1);
            int sevens = 0;
            for (MqttTestClient.Received r = client.next(Duration.ofSeconds(3)); r != null;
                 r = client.next(Duration.ofSeconds(2))) {
                sevens += r.payload().equals("7") ? 1 : 0; // late reports of "1" (the command was repeated) aside
            }
            assertEquals(1, sevens, "exactly one report of one command: the backup holds no session");
            assertEquals(0, apiB.get("system/status").json().getJsonObject("engine").getJsonNumber("messages")
                    .longValue(), "nothing reached the backup's engine");

            // backup sync: a value the main accepts reaches the backup's memory through Payara's data grid
            for (int i = 1; i <= 20; i++) {
                client.publish("sync/" + run + "/set", Integer.toString(i), 1);
            }
            int last = 20;
            await(apiB, "datapoints/" + synced + "/value", x -> x.containsKey("value") && x.getInt("value") == last);
            JsonObject sync = apiB.get("cluster").json().getJsonObject("sync");
            assertTrue(sync.getBoolean("on") && sync.getJsonNumber("received").longValue() >= 20, sync.toString());
            System.out.println("ClusterMicroIT: backup sync delay p50 " + sync.getJsonNumber("lagP50Micros")
                    + " µs, p99 " + sync.getJsonNumber("lagP99Micros") + " µs over " + sync.getJsonNumber("lagSamples"));

            long killed = System.nanoTime();
            a.killHard();
            await(apiB, "cluster", x -> x.getString("role").equals("MAIN"));
            long takeover = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("ClusterMicroIT: the backup was main " + takeover + " ms after kill -9 of the main");
            JsonObject now = apiB.get("cluster").json();
            assertEquals("b", now.getString("main"), now.toString());
            assertTrue(now.getString("lastFailoverReason").contains("took the lease"), now.toString());

            assertEquals("2", relay(client, run, "2"), "the new main relays");
            assertEquals(1.0, metric(b, "bms_cluster_main"));
            assertEquals(1.0, metric(b, "bms_cluster_takeovers"));
            assertEquals(2, apiB.get("datapoints/" + dp + "/value").json().getInt("value"));
            assertEquals(20, apiB.get("datapoints/" + synced + "/value").json().getInt("value"),
                    "the new main starts from the synced value (the datapoint is not persistent)");
        }

        MicroProcess again = member(build, run, "a", schema, broker, members, gridA).start();
        JsonObject back = new Http(again.api()).get("cluster").json();
        assertEquals("BACKUP", back.getString("role"), "the old main comes back as backup: " + back);
        assertEquals("b", back.getString("main"), back.toString());
    }

    private static MicroProcess member(Path build, String run, String name, String schema, Mosquitto broker,
                                       String gridMembers, int gridPort) {
        Map<String, String> config = new LinkedHashMap<>(Http.adminConfig());
        Path work = build.resolve("cluster-" + run + "-" + name + "-" + UUID.randomUUID().toString().substring(0, 4));
        config.put("bms.data.dir", work.resolve("data").toAbsolutePath().toString());
        config.put("bms.db.url", System.getProperty("it.pg.url"));
        config.put("bms.db.user", System.getProperty("it.pg.user"));
        config.put("bms.db.schema", schema);
        config.put("bms.mqtt.server-uri", "tcp://127.0.0.1:" + broker.port());
        config.put("bms.mqtt.client-id", "bms-cluster-" + run); // the same session: whichever member is main
        config.put("bms.mqtt.reconnect-interval", "1");
        config.put("bms.server-id", "it-cluster-" + run);
        config.put("bms.cluster.enabled", "true");
        config.put("bms.cluster.member", name);
        config.put("bms.integrated-broker.start-at-boot", "false");
        MicroProcess m = new MicroProcess(build, work.resolve("micro"), config).clustering("--clustermode",
                gridMembers, "--startport", Integer.toString(gridPort), "--interfaces", "127.0.0.1", "--clustername",
                "bms-it-" + run);
        resources.add(0, m); // closed before the broker
        return m;
    }

    private static Http root(MicroProcess m) {
        return new Http(java.net.URI.create("http://127.0.0.1:" + m.port() + "/"));
    }

    /** A gauge of the member's /metrics (Prometheus text); NaN when it is not there. */
    private static double metric(MicroProcess m, String name) {
        Http.Response r = root(m).get("metrics?scope=application");
        assertEquals(200, r.status(), r.body());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** Publishes the command until its report comes back (the subscription follows the binding shortly). */
    private static String relay(MqttTestClient client, String run, String value) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            client.publish("cl/" + run + "/set", value, 1);
            MqttTestClient.Received r = client.next(Duration.ofSeconds(1));
            while (r != null && !r.payload().equals(value)) {
                r = client.next(Duration.ofSeconds(1));
            }
            if (r != null) {
                return r.payload();
            }
        }
        throw new AssertionError("no report of " + value + " on cl/" + run + "/state");
    }

    private static JsonObject await(Http api, String path, Predicate<JsonObject> done) {
        Http.Response r = api.await(path, x -> x.status() == 200 && done.test(x.json()), WAIT);
        assertNotNull(r);
        assertTrue(done.test(r.json()), r.body());
        return r.json();
    }
}
