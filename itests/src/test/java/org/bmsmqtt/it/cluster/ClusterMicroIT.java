package org.bmsmqtt.it.cluster;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Main and backups: three Payara Micro processes on one PostgreSQL schema with {@code bms.cluster.enabled}, the same
 * default broker (same client id, persistent session) on a mosquitto of their own with its stock limits, in one
 * Payara data grid (TCP/IP members on loopback, never multicast). In order:
 * <ol>
 * <li>the first member is main and relays; the backups hold no session, answer reads and refuse commands only;</li>
 * <li>a configuration change made through a backup applies on the main without a restart, one made on the main on
 * the backups (their engines take the synced values of a datapoint created after they started);</li>
 * <li>kill -9 of the main while a client sends 1,000 QoS 1 commands at 100 msg/s: one backup takes over (time
 * printed) and every command is confirmed on the state topic;</li>
 * <li>a main frozen past its lease (SIGSTOP) is replaced, and once it resumes steps down without connecting to the
 * broker again (the broker's log of connections is watched);</li>
 * <li>the killed member comes back as backup;</li>
 * <li>active-active: a broker listed in {@code bms.cluster.shared-brokers}, added through a backup, is held by every
 * member with shared subscriptions; 300 QoS 1 commands are each processed by exactly one member (all three take
 * some), confirmed once, all members end on the same, newest value, and the main reports the values the others
 * took on the broker only it holds;</li>
 * <li>a fourth member cut off from the data grid (its own cluster name: a partition from its first second) stays
 * backup and never connects to the broker: the lease, not the grid, decides who is main.</li>
 * </ol>
 * micro-postgres only: the members share a database.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-postgres",
        disabledReason = "cluster members share a PostgreSQL database: micro-postgres only")
@ExtendWith(RequiredPeers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMicroIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int COMMANDS = 1_000;
    private static final List<AutoCloseable> resources = new ArrayList<>();
    private static final Map<String, MicroProcess> members = new ConcurrentHashMap<>();
    private static final Map<String, Integer> gridPorts = new ConcurrentHashMap<>();
    private static String run;
    private static String schema;
    private static String gridMembers;
    private static String clientId;
    private static Mosquitto broker;
    private static Mosquitto sharedBroker;
    private static Path build;

    @BeforeAll
    static void start() throws Exception {
        build = TestEnvironment.buildDir();
        assertTrue(MicroProcess.available(build), "the itests build did not copy the server and the applications");
        run = UUID.randomUUID().toString().substring(0, 8);
        schema = System.getProperty("it.pg.schema", "bms_it") + "_cluster";
        clientId = "bms-cluster-" + run;
        TestEnvironment.resetSchema(schema);
        broker = Mosquitto.onFreePort(Specs.workDir()).withStockLimits().start(); // as users run it
        resources.add(broker);
        sharedBroker = Mosquitto.onFreePort(Specs.workDir()).withStockLimits().start();
        resources.add(sharedBroker);
        for (String name : List.of("a", "b", "c")) {
            gridPorts.put(name, Peers.freePort());
        }
        gridMembers = "tcpip:" + List.of("a", "b", "c").stream().map(n -> "127.0.0.1:" + gridPorts.get(n))
                .collect(Collectors.joining(","));

        MicroProcess a = member("a").start();
        Http apiA = new Http(a.api());
        assertEquals("MAIN", apiA.get("cluster").json().getString("role"), "the first member is main");
        assertEquals(201, apiA.postJson("datapoints", "{\"name\": \"cl-" + run + "\", \"dataType\": \"INTEGER\", "
                + "\"persistent\": true}").status());
        assertEquals(201, apiA.postJson("datapoints/cl-" + run + "/bindings", "{\"brokerId\": 1, \"commandTopic\": "
                + "\"cl/" + run + "/set\", \"reportTopic\": \"cl/" + run + "/state\"}").status());
        // not persistent: after a takeover its value can only come from the data grid
        assertEquals(201, apiA.postJson("datapoints", "{\"name\": \"sync-" + run + "\", \"dataType\": \"INTEGER\", "
                + "\"persistent\": false, \"backupSync\": true}").status());
        assertEquals(201, apiA.postJson("datapoints/sync-" + run + "/bindings", "{\"brokerId\": 1, \"commandTopic\": "
                + "\"sync/" + run + "/set\"}").status());
        // the two backups start side by side
        CompletableFuture<MicroProcess> b = CompletableFuture.supplyAsync(() -> member("b").start());
        CompletableFuture<MicroProcess> c = CompletableFuture.supplyAsync(() -> member("c").start());
        b.join();
        c.join();
    }

    @AfterAll
    static void stop() throws Exception {
        for (MicroProcess m : members.values()) {
            try {
                m.freeze(false); // a frozen member would not die of SIGTERM
            } catch (RuntimeException e) {
                // not running
            }
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    @Test
    @Order(1)
    void the_backups_answer_reads_and_refuse_commands_only() throws Exception {
        for (String backup : List.of("b", "c")) {
            Http api = api(backup);
            JsonObject cluster = api.get("cluster").json();
            assertEquals("BACKUP", cluster.getString("role"), cluster.toString());
            assertEquals("a", cluster.getString("main"), cluster.toString());
            assertEquals("cl-" + run, api.get("datapoints/cl-" + run).json().getString("name"), "reads");
            assertEquals(0.0, metric(backup, "bms_cluster_main"), "the backup's gauge");
            assertTrue(root(backup).get("health/ready").body().contains("\"role\":\"BACKUP\""), "readiness");
            Http.Response refused = api.putJson("datapoints/cl-" + run + "/value", "{\"value\": 5}");
            assertEquals(409, refused.status(), refused.body());
            assertTrue(refused.body().contains("\"cluster\""), "the problem names the field: " + refused.body());
        }
        assertEquals(1.0, metric("a", "bms_cluster_main"), "the main's gauge");
        // every member lists all three with their roles (each says so every second)
        JsonObject listed = await(api("c"), "cluster", x -> x.getJsonArray("members").size() == 3);
        Map<String, String> roles = listed.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(m -> m.getString("member"), m -> m.getString("role")));
        assertEquals(Map.of("a", "MAIN", "b", "BACKUP", "c", "BACKUP"), roles, listed.toString());

        try (MqttTestClient client = new MqttTestClient(broker.uri())) {
            client.subscribe("cl/" + run + "/state", 1);
            relay(client, "cl/" + run, "1");
            client.publish("cl/" + run + "/set", "7", 1);
            int sevens = 0;
            for (MqttTestClient.Received r = client.next(Duration.ofSeconds(3)); r != null;
                 r = client.next(Duration.ofSeconds(2))) {
                sevens += r.payload().equals("7") ? 1 : 0; // late reports of "1" (the command was repeated) aside
            }
            assertEquals(1, sevens, "exactly one report of one command: the backups hold no session");
        }
        for (String backup : List.of("b", "c")) {
            assertEquals(0, api(backup).get("system/status").json().getJsonObject("engine").getJsonNumber("messages")
                    .longValue(), "nothing reached the engine of backup " + backup);
        }
    }

    @Test
    @Order(2)
    void configuration_changes_apply_on_every_member_whichever_took_them() throws Exception {
        // made through a backup: stored in the shared database, applied by the main (it subscribes and relays)
        Http apiB = api("b");
        Http.Response created = apiB.postJson("datapoints", "{\"name\": \"via-b-" + run + "\", \"dataType\": "
                + "\"INTEGER\"}");
        assertEquals(201, created.status(), "configuration changes are taken by a backup: " + created.body());
        assertEquals(201, apiB.postJson("datapoints/via-b-" + run + "/bindings", "{\"brokerId\": 1, "
                + "\"commandTopic\": \"viab/" + run + "/set\", \"reportTopic\": \"viab/" + run + "/state\"}").status());
        try (MqttTestClient client = new MqttTestClient(broker.uri())) {
            client.subscribe("viab/" + run + "/state", 1);
            relay(client, "viab/" + run, "42");
        }
        assertEquals(42, api("a").get("datapoints/via-b-" + run + "/value").json().getInt("value"));
        JsonObject configB = apiB.get("cluster").json().getJsonObject("configuration");
        assertTrue(configB.getBoolean("on") && configB.getJsonNumber("sent").longValue() >= 2, configB.toString());
        JsonObject configA = api("a").get("cluster").json().getJsonObject("configuration");
        assertTrue(configA.getJsonNumber("applied").longValue() >= 2, configA.toString());

        // made on the main after the backups started: their engines know the datapoint and take its synced values
        Http apiA = api("a");
        assertEquals(201, apiA.postJson("datapoints", "{\"name\": \"later-" + run + "\", \"dataType\": \"INTEGER\", "
                + "\"persistent\": false, \"backupSync\": true}").status());
        assertEquals(201, apiA.postJson("datapoints/later-" + run + "/bindings", "{\"brokerId\": 1, "
                + "\"commandTopic\": \"later/" + run + "/set\", \"reportTopic\": \"later/" + run + "/state\"}").status());
        try (MqttTestClient client = new MqttTestClient(broker.uri())) {
            client.subscribe("later/" + run + "/state", 1);
            relay(client, "later/" + run, "3");
            client.publish("sync/" + run + "/set", "not-a-number", 1); // rejected on the main: the backups see it
            for (int i = 1; i <= 20; i++) {
                client.publish("sync/" + run + "/set", Integer.toString(i), 1);
            }
        }
        for (String backup : List.of("b", "c")) {
            await(api(backup), "datapoints/later-" + run + "/value", x -> x.containsKey("value")
                    && x.getInt("value") == 3);
            JsonObject v = await(api(backup), "datapoints/sync-" + run + "/value", x -> x.containsKey("value")
                    && x.getInt("value") == 20 && x.getJsonNumber("rejected").longValue() == 1);
            assertTrue(v.getString("lastError").contains("not-a-number"), "the main's rejection, synced: " + v);
        }
        JsonObject sync = api("b").get("cluster").json().getJsonObject("sync");
        System.out.println("ClusterMicroIT: backup sync delay p50 " + sync.getJsonNumber("lagP50Micros")
                + " µs, p99 " + sync.getJsonNumber("lagP99Micros") + " µs over " + sync.getJsonNumber("lagSamples"));
    }

    @Test
    @Order(3)
    void kill_minus_9_of_the_main_under_qos1_commands_loses_none() throws Exception {
        Set<String> reported = ConcurrentHashMap.newKeySet();
        long takeover;
        String newMain;
        try (MqttTestClient client = new MqttTestClient(broker.uri())) {
            client.subscribe("cl/" + run + "/state", 1);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                long next = System.nanoTime();
                for (int i = 1; i <= COMMANDS; i++) {
                    client.publish("cl/" + run + "/set", Integer.toString(1000 + i), 1); // returns on the PUBACK
                    next += 10_000_000; // 100 msg/s
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            });
            collect(client, reported, Duration.ofSeconds(3)); // about 300 commands through the first main
            long killed = System.nanoTime();
            members.get("a").killHard();
            newMain = awaitMain(List.of("b", "c"));
            takeover = (System.nanoTime() - killed) / 1_000_000;
            sender.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            Set<String> all = IntStream.rangeClosed(1001, 1000 + COMMANDS).mapToObj(Integer::toString)
                    .collect(Collectors.toSet());
            long end = System.nanoTime() + WAIT.toNanos();
            while (!reported.containsAll(all) && System.nanoTime() < end) {
                collect(client, reported, Duration.ofSeconds(1));
            }
            Set<String> missing = new TreeSet<>(all);
            missing.removeAll(reported);
            System.out.println("ClusterMicroIT: member " + newMain + " was main " + takeover + " ms after kill -9 of "
                    + "the main; " + (COMMANDS - missing.size()) + " of " + COMMANDS + " QoS 1 commands confirmed");
            assertEquals(Set.of(), missing, "commands accepted by the broker but never confirmed on the state topic");
        }
        String other = newMain.equals("b") ? "c" : "b";
        JsonObject now = api(newMain).get("cluster").json();
        assertEquals(newMain, now.getString("main"), now.toString());
        assertTrue(now.getString("lastFailoverReason").contains("took the lease"), now.toString());
        assertEquals(1.0, metric(newMain, "bms_cluster_takeovers"));
        JsonObject otherView = await(api(other), "cluster", x -> x.getString("main").equals(newMain));
        assertEquals("BACKUP", otherView.getString("role"), "exactly one main: " + otherView);
        assertEquals(1000 + COMMANDS, api(newMain).get("datapoints/cl-" + run + "/value").json().getInt("value"));
        assertEquals(20, api(newMain).get("datapoints/sync-" + run + "/value").json().getInt("value"),
                "the new main starts from the synced value (the datapoint is not persistent)");
    }

    @Test
    @Order(4)
    void a_main_frozen_past_its_lease_steps_down_without_touching_the_broker_again() throws Exception {
        String frozen = awaitMain(List.of("b", "c"));
        String other = frozen.equals("b") ? "c" : "b";
        long connectsBefore = connects();
        members.get(frozen).freeze(true);
        try {
            assertEquals(other, awaitMain(List.of(other)), "the other backup takes over from the frozen main");
            awaitConnects(connectsBefore + 1); // the new main's session replaced the frozen one's
        } finally {
            members.get(frozen).freeze(false);
        }
        JsonObject resumed = await(api(frozen), "cluster", x -> x.getString("role").equals("BACKUP"));
        assertEquals(other, resumed.getString("main"), resumed.toString());
        try (MqttTestClient client = new MqttTestClient(broker.uri())) {
            client.subscribe("cl/" + run + "/state", 1);
            relay(client, "cl/" + run, "5");
        }
        Thread.sleep(3_000); // long enough for the resumed member's reconnect timer (1 s) to have fired
        assertEquals(connectsBefore + 1, connects(), "the resumed member did not connect to the broker again (two "
                + "mains on one broker): " + brokerLog());
        assertEquals(0, metric(frozen, "bms_cluster_main"));
    }

    @Test
    @Order(5)
    void the_killed_member_comes_back_as_backup() {
        String main = awaitMain(List.of("b", "c"));
        JsonObject back = new Http(member("a").start().api()).get("cluster").json();
        assertEquals("BACKUP", back.getString("role"), "the old main comes back as backup: " + back);
        assertEquals(main, back.getString("main"), back.toString());
    }

    @Test
    @Order(6)
    void active_active_each_command_is_processed_once_by_one_of_the_members() throws Exception {
        String main = awaitMain(List.of("b", "c"));
        Http.Response created = api("a").postJson("brokers", "{\"name\": \"shared-" + run + "\", \"host\": "
                + "\"127.0.0.1\", \"port\": " + sharedBroker.port() + ", \"clientId\": \"bms-aa-" + run + "\", "
                + "\"reconnectIntervalSeconds\": 1}");
        assertEquals(201, created.status(), created.body());
        long brokerId = created.json().getJsonNumber("id").longValue();
        assertEquals(201, api("a").postJson("datapoints", "{\"name\": \"aa-" + run + "\", \"dataType\": "
                + "\"INTEGER\"}").status());
        assertEquals(201, api("a").postJson("datapoints/aa-" + run + "/bindings", "{\"brokerId\": " + brokerId
                + ", \"commandTopic\": \"aa/" + run + "/set\", \"reportTopic\": \"aa/" + run + "/state\"}").status());
        assertEquals(201, api("a").postJson("datapoints/aa-" + run + "/bindings", "{\"brokerId\": 1, "
                + "\"reportTopic\": \"aa/" + run + "/mirror\"}").status());
        for (String m : List.of("a", "b", "c")) { // every member holds a session of its own, with its own client id
            long end = System.nanoTime() + WAIT.toNanos();
            while (!log(sharedBroker).contains(" as bms-aa-" + run + "-" + m + " ") && System.nanoTime() < end) {
                sleep(100);
            }
            assertTrue(log(sharedBroker).contains(" as bms-aa-" + run + "-" + m + " "), "member " + m + ": "
                    + log(sharedBroker));
        }
        try (MqttTestClient client = new MqttTestClient(sharedBroker.uri());
             MqttTestClient mirror = new MqttTestClient(broker.uri())) {
            client.subscribe("aa/" + run + "/state", 1);
            mirror.subscribe("aa/" + run + "/mirror", 1);
            // until every member's shared subscription is in place: each has taken a command
            Map<String, Long> before = engineMessages();
            long end = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                client.publish("aa/" + run + "/set", Integer.toString(-i - 1), 1);
                Map<String, Long> now = engineMessages();
                if (now.keySet().stream().allMatch(m -> now.get(m) > before.get(m))) {
                    break;
                }
                sleep(20);
            }
            Map<String, Long> warm = engineMessages();
            assertTrue(warm.keySet().stream().allMatch(m -> warm.get(m) > before.get(m)), "every member subscribed: "
                    + before + " -> " + warm);
            collect(client, ConcurrentHashMap.newKeySet(), Duration.ofSeconds(1));
            collect(mirror, ConcurrentHashMap.newKeySet(), Duration.ofMillis(100));

            int commands = 300;
            Map<String, Integer> confirmed = new ConcurrentHashMap<>();
            List<String> mirrored = new ArrayList<>();
            for (int i = 1; i <= commands; i++) {
                client.publish("aa/" + run + "/set", Integer.toString(i), 1);
                sleep(10); // 100 msg/s
            }
            end = System.nanoTime() + WAIT.toNanos();
            while (confirmed.size() < commands && System.nanoTime() < end) {
                MqttTestClient.Received r = client.next(Duration.ofMillis(50));
                if (r != null && !r.payload().startsWith("-")) { // a late warm-up report aside
                    confirmed.merge(r.payload(), 1, Integer::sum);
                }
                MqttTestClient.Received m = mirror.next(Duration.ofMillis(1));
                if (m != null && !m.payload().startsWith("-")) {
                    mirrored.add(m.payload());
                }
            }
            MqttTestClient.Received late = client.next(Duration.ofSeconds(1));
            while (late != null) { // anything late would be a second confirmation
                if (!late.payload().startsWith("-")) {
                    confirmed.merge(late.payload(), 1, Integer::sum);
                }
                late = client.next(Duration.ofMillis(500));
            }
            Map<String, Long> after = engineMessages();
            Map<String, Long> taken = new java.util.TreeMap<>();
            after.forEach((m, n) -> taken.put(m, n - warm.get(m)));
            System.out.println("ClusterMicroIT: active-active, " + commands + " commands taken by member " + taken
                    + ", main " + main);
            assertEquals(commands, taken.values().stream().mapToLong(Long::longValue).sum(),
                    "each command processed by exactly one member: " + taken);
            assertTrue(taken.values().stream().allMatch(n -> n > 0), "the broker shares the commands out: " + taken);
            Set<String> all = IntStream.rangeClosed(1, commands).mapToObj(Integer::toString).collect(Collectors.toSet());
            assertEquals(all, confirmed.keySet(), "every command confirmed on its state topic");
            assertTrue(confirmed.values().stream().allMatch(n -> n == 1), "and once: " + confirmed);
            // Values taken by another member reach the main and go out on the broker only it holds, unless the main
            // already has a newer one (the newest acceptance wins, so a late one never overwrites a newer state).
            for (MqttTestClient.Received m = mirror.next(Duration.ofSeconds(1)); m != null;
                 m = mirror.next(Duration.ofMillis(500))) {
                mirrored.add(m.payload());
            }
            assertTrue(all.containsAll(mirrored), "only values of the commands: " + mirrored);
            assertTrue(mirrored.size() > taken.get(main), "the main reports values the other members took too: "
                    + mirrored.size() + " reports, " + taken.get(main) + " taken by the main itself");

            sleep(500);
            client.publish("aa/" + run + "/set", "1000", 1); // the newest: every member ends on it
            MqttTestClient.Received last = mirror.next(WAIT);
            assertNotNull(last, "no report of the last command on the main's broker");
            assertEquals("1000", last.payload());
        }
        for (String m : List.of("a", "b", "c")) { // one state on every member: the latest value taken
            await(api(m), "datapoints/aa-" + run + "/value", x -> x.containsKey("value") && x.getInt("value") == 1000);
        }
    }

    /** Every member's count of MQTT messages its engine took. */
    private static Map<String, Long> engineMessages() {
        Map<String, Long> n = new java.util.TreeMap<>();
        for (String m : List.of("a", "b", "c")) {
            n.put(m, api(m).get("system/status").json().getJsonObject("engine").getJsonNumber("messages").longValue());
        }
        return n;
    }

    private static String log(Mosquitto m) throws Exception {
        Path log = m.dir().resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    @Order(7)
    void a_member_cut_off_from_the_data_grid_stays_backup_the_lease_decides() throws Exception {
        String main = awaitMain(List.of("b", "c"));
        long connectsBefore = connects();
        // a member whose grid never reaches the others (its own cluster name and member list): partitioned from its
        // first second, as if its Hazelcast port were blocked; it shares the database and the broker
        int port = Peers.freePort();
        MicroProcess d = member("d", "tcpip:127.0.0.1:" + port, port, "bms-it-cut-" + run, "").start();
        JsonObject cut = new Http(d.api()).get("cluster").json();
        assertEquals("BACKUP", cut.getString("role"), "cut off from the grid, still not main: " + cut);
        assertEquals(main, cut.getString("main"), "the lease says who is main: " + cut);
        assertEquals(1, cut.getJsonArray("members").size(), "it sees only itself: " + cut);
        assertTrue(await(api(main), "cluster", x -> true).getJsonArray("members").getValuesAs(JsonObject.class)
                .stream().noneMatch(m -> m.getString("member").equals("d")), "the others do not see it");
        sleep(2_000);
        assertEquals(connectsBefore, connects(), "it never connected to the broker: " + brokerLog());
        assertEquals("MAIN", api(main).get("cluster").json().getString("role"));
    }

    /**
     * The members' JVM: it.micro.jvm with C1-only JIT. Three or four Micros boot at once on 2 cores here, and C2's
     * compiling of all of them was a good part of the class's time (144 s, 121 s with C1 alone); the members do little
     * work after that. (Not for the other classes: a Micro that hashes passwords (PBKDF2) per request ran several times
     * slower with C1 alone.)
     */
    static final String MEMBER_JVM = System.getProperty("it.micro.jvm", MicroProcess.DEFAULT_JVM)
            + " -XX:TieredStopAtLevel=1";

    private static MicroProcess member(String name) {
        return member(name, gridMembers, gridPorts.get(name), "bms-it-" + run, "shared-" + run);
    }

    private static MicroProcess member(String name, String grid, int gridPort, String clusterName, String shared) {
        Map<String, String> config = new java.util.LinkedHashMap<>(Http.adminConfig());
        Path work = build.resolve("cluster-" + run + "-" + name + "-" + UUID.randomUUID().toString().substring(0, 4));
        config.put("bms.data.dir", work.resolve("data").toAbsolutePath().toString());
        config.put("bms.db.url", System.getProperty("it.pg.url"));
        config.put("bms.db.user", System.getProperty("it.pg.user"));
        config.put("bms.db.schema", schema);
        config.put("bms.mqtt.server-uri", "tcp://127.0.0.1:" + broker.port());
        config.put("bms.mqtt.client-id", clientId); // the same session: whichever member is main
        config.put("bms.mqtt.reconnect-interval", "1");
        config.put("bms.server-id", "it-cluster-" + run);
        config.put("bms.cluster.enabled", "true");
        config.put("bms.cluster.member", name);
        config.put("bms.cluster.shared-brokers", shared);
        config.put("bms.integrated-broker.start-at-boot", "false");
        MicroProcess m = new MicroProcess(build, work.resolve("micro"), config).jvm(MEMBER_JVM).clustering("--clustermode",
                grid, "--startport", Integer.toString(gridPort), "--interfaces", "127.0.0.1",
                "--clustername", clusterName);
        members.put(name, m);
        synchronized (resources) {
            resources.add(0, m); // closed before the broker
        }
        return m;
    }

    private static Http api(String member) {
        return new Http(members.get(member).api());
    }

    private static Http root(String member) {
        return new Http(java.net.URI.create("http://127.0.0.1:" + members.get(member).port() + "/"));
    }

    /** A gauge of the member's /metrics (Prometheus text); NaN when it is not there. */
    private static double metric(String member, String name) {
        Http.Response r = root(member).get("metrics?scope=application");
        assertEquals(200, r.status(), r.body());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** The member among these that says it is main (waits for one). */
    private static String awaitMain(List<String> candidates) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (String m : candidates) {
                Http.Response r = api(m).get("cluster");
                if (r.status() == 200 && r.json().getString("role").equals("MAIN")) {
                    return m;
                }
            }
            sleep(50);
        }
        throw new AssertionError("none of " + candidates + " became main within " + WAIT.toSeconds() + " s");
    }

    /** Connections the broker accepted with the members' client id so far (its log, notice level). */
    private static long connects() throws Exception {
        return brokerLog().lines().filter(l -> l.contains("New client connected") && l.contains(" as " + clientId + " "))
                .count();
    }

    private static void awaitConnects(long count) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (connects() < count && System.nanoTime() < end) {
            sleep(100);
        }
        assertEquals(count, connects(), brokerLog());
    }

    private static String brokerLog() throws Exception {
        Path log = broker.dir().resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static void collect(MqttTestClient client, Set<String> into, Duration during) {
        long end = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < end) {
            MqttTestClient.Received r = client.next(Duration.ofMillis(100));
            if (r != null) {
                into.add(r.payload());
            }
        }
    }

    /** Publishes the command until its report comes back (the subscription follows the binding shortly). */
    private static void relay(MqttTestClient client, String prefix, String value) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            client.publish(prefix + "/set", value, 1);
            MqttTestClient.Received r = client.next(Duration.ofSeconds(1));
            while (r != null && !r.payload().equals(value)) {
                r = client.next(Duration.ofSeconds(1));
            }
            if (r != null) {
                return;
            }
        }
        throw new AssertionError("no report of " + value + " on " + prefix + "/state");
    }

    private static JsonObject await(Http api, String path, Predicate<JsonObject> done) {
        Http.Response r = api.await(path, x -> x.status() == 200 && done.test(x.json()), WAIT);
        assertNotNull(r);
        assertTrue(done.test(r.json()), r.body());
        return r.json();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
