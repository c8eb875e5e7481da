package org.bmsmqtt.it.integrated;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.Secrets;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers linked machine to machine by crossing topics. Server A (Arquillian's Payara Micro) holds the integrated
 * broker; its datapoint reports on {@code X} and takes commands on {@code Y} through its internal connection. Server B
 * (a second Payara Micro, started as a process) connects to A's broker as a user; its datapoint takes commands on
 * {@code X} and reports on {@code Y}. A change on either side shows up on the other; an observer on A's broker counts
 * the messages over a bounded 10-second window after each change: the change, the other side's confirmation of it on
 * its report topic (the state-topic convention), and then silence: the side that made the change takes the
 * confirmation as the echo of its own report (counted on its datapoint), so nothing travels a second time.
 * micro-h2 only: B has its own H2 database either way, and it is the slowest test of the suite.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "starts a second server of its own: micro-h2 only")
@ExtendWith(RequiredPeers.class)
class MachineToMachineMicroIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static MicroProcess b;

    URL deployment = SharedMicro.deployment();

    @AfterAll
    static void stopB() {
        if (b != null) {
            b.close();
        }
    }

    Http a() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void values_cross_both_ways_and_each_change_travels_once() throws Exception {
        Path build = TestEnvironment.buildDir();
        assertTrue(MicroProcess.available(build), "the itests build did not copy the server and the applications");
        String run = id();
        String x = "site-" + run + "/x";
        String y = "site-" + run + "/y";

        // A: the integrated broker, a user for B, an observer, the internal connection and A's datapoint
        int port = Peers.freePort();
        assertEquals(200, a().putJson("integrated-broker", "{\"startAtBoot\": false, \"port\": " + port + "}").status());
        assertEquals("RUNNING", a().postJson("integrated-broker/start", "").json().getString("state"));
        String linkPw = "link-" + UUID.randomUUID();
        String observerPw = "obs-" + UUID.randomUUID();
        Secrets.register(linkPw);
        Secrets.register(observerPw);
        brokerUser("link-" + run, linkPw, "[\"site-" + run + "/y\"]", "[\"site-" + run + "/x\"]");
        brokerUser("observer-" + run, observerPw, "[]", "[\"#\"]");
        brokerUser("a-" + run, "internal-" + UUID.randomUUID(), "[\"#\"]", "[\"#\"]");
        long aBroker = created(a().postJson("brokers", "{\"name\": \"internal-" + run + "\", \"clientId\": \"a-" + run
                + "\", \"internalUser\": \"a-" + run + "\", \"reconnectIntervalSeconds\": 1}"));
        connected(a(), aBroker);
        datapoint(a(), "m2m-a-" + run, aBroker, y, x);

        // B: a second server whose broker is A's integrated broker
        Map<String, String> config = new LinkedHashMap<>(Http.adminConfig());
        Path work = build.resolve("m2m-" + run);
        config.put("bms.data.dir", work.resolve("data").toAbsolutePath().toString());
        config.put("bms.mqtt.server-uri", "tcp://127.0.0.1:" + Peers.freePort()); // nothing there: no default broker
        config.put("bms.server-id", "bms-it-m2m-b");
        config.put("bms.integrated-broker.start-at-boot", "false");
        b = new MicroProcess(build, work.resolve("micro"), config).start();
        Http bApi = new Http(b.api());
        long bBroker = created(bApi.postJson("brokers", "{\"name\": \"to-a\", \"host\": \"127.0.0.1\", \"port\": " + port
                + ", \"clientId\": \"b-" + run + "\", \"username\": \"link-" + run + "\", \"password\": \"" + linkPw
                + "\", \"reconnectIntervalSeconds\": 1}"));
        connected(bApi, bBroker);
        datapoint(bApi, "m2m-b-" + run, bBroker, x, y);

        try (MqttTestClient observer = new MqttTestClient("tcp://127.0.0.1:" + port, "observer-" + run, observerPw)) {
            observer.subscribe("site-" + run + "/#", 1);
            // warm-up: until both sides have subscribed, a write may find no listener on the other side
            untilValue(a(), "m2m-a-" + run, bApi, "m2m-b-" + run, "1.0");
            untilValue(bApi, "m2m-b-" + run, a(), "m2m-a-" + run, "2.0");
            drain(observer, Duration.ofSeconds(3)); // also lets the anti-echo windows (500 ms) of the warm-up pass

            // a change on A: once on X, B's confirmation once on Y, then silence
            long echoesA = echoes(a(), "m2m-a-" + run);
            assertEquals(200, a().putJson("datapoints/m2m-a-" + run + "/value", "{\"value\": 21.5}").status());
            awaitValue(bApi, "m2m-b-" + run, 21.5);
            Map<String, List<Double>> fromA = count(observer, WINDOW);
            assertEquals(Map.of(x, List.of(21.5), y, List.of(21.5)), fromA,
                    "a change on A travels once to B, B confirms it once, then nothing more");
            assertEquals(echoesA + 1, echoes(a(), "m2m-a-" + run), "A took B's confirmation as its own report's echo");
            awaitValue(a(), "m2m-a-" + run, 21.5);

            // a change on B: once on Y, A's confirmation once on X, then silence
            long echoesB = echoes(bApi, "m2m-b-" + run);
            assertEquals(200, bApi.putJson("datapoints/m2m-b-" + run + "/value", "{\"value\": 18.0}").status());
            awaitValue(a(), "m2m-a-" + run, 18.0);
            Map<String, List<Double>> fromB = count(observer, WINDOW);
            assertEquals(Map.of(y, List.of(18.0), x, List.of(18.0)), fromB,
                    "a change on B travels once to A, A confirms it once, then nothing more");
            assertEquals(echoesB + 1, echoes(bApi, "m2m-b-" + run), "B took A's confirmation as its own report's echo");
        }
        b.close();
        deleteTree(work);
    }

    void brokerUser(String name, String password, String publish, String subscribe) {
        Http.Response r = a().postJson("integrated-broker/users", "{\"username\": \"" + name + "\", \"password\": \""
                + password + "\", \"publish\": " + publish + ", \"subscribe\": " + subscribe + "}");
        assertEquals(201, r.status(), r.body());
    }

    static long created(Http.Response r) {
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    static void connected(Http api, long broker) {
        Http.Response s = api.await("brokers/" + broker + "/status",
                r -> r.status() == 200 && r.json().getString("state").equals("CONNECTED"), WAIT);
        assertEquals("CONNECTED", s.json().getString("state"), s.body());
    }

    static void datapoint(Http api, String name, long broker, String command, String report) {
        assertEquals(201, api.postJson("datapoints", "{\"name\": \"" + name + "\", \"path\": \"it/m2m/" + name
                + "\", \"dataType\": \"REAL\", \"accessMode\": \"READ_WRITE\"}").status());
        Http.Response r = api.postJson("datapoints/" + name + "/bindings", "{\"brokerId\": " + broker
                + ", \"commandTopic\": \"" + command + "\", \"reportTopic\": \"" + report + "\", \"qos\": 1}");
        assertEquals(201, r.status(), r.body());
    }

    /** Writes {@code value} on one side until the other side has it. */
    static void untilValue(Http from, String fromDp, Http to, String toDp, String value) {
        Http.Response r = to.await("datapoints/" + toDp + "/value", x -> {
            if (x.status() == 200 && Http.present(x.json(), "value")
                    && x.json().getJsonNumber("value").doubleValue() == Double.parseDouble(value)) {
                return true;
            }
            from.putJson("datapoints/" + fromDp + "/value", "{\"value\": " + value + "}");
            return false;
        }, WAIT);
        assertEquals(Double.parseDouble(value), r.json().getJsonNumber("value").doubleValue(), r.body());
    }

    static long echoes(Http api, String dp) {
        return api.get("datapoints/" + dp + "/value").json().getJsonNumber("echoes").longValue();
    }

    static void awaitValue(Http api, String dp, double value) {
        Http.Response r = api.await("datapoints/" + dp + "/value", x -> x.status() == 200
                && Http.present(x.json(), "value") && x.json().getJsonNumber("value").doubleValue() == value, WAIT);
        assertEquals(value, r.json().getJsonNumber("value").doubleValue(), r.body());
    }

    /** Every message the observer receives within {@code window}: the values by topic, in order. */
    static Map<String, List<Double>> count(MqttTestClient observer, Duration window) {
        Map<String, List<Double>> seen = new LinkedHashMap<>();
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            MqttTestClient.Received m = observer.next(Duration.ofMillis(Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (m != null) {
                seen.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(Double.parseDouble(m.payload()));
            }
        }
        return seen;
    }

    static void drain(MqttTestClient observer, Duration d) {
        count(observer, d);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
