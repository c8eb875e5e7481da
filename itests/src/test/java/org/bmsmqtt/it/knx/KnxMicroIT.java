package org.bmsmqtt.it.knx;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.KnxPeer;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KNX end to end on Payara Micro against a real KNX peer in this JVM (Calimero's KNXnet/IP server with a virtual
 * subnet on 127.0.0.1, and a Calimero client on it as the device): MQTT command -> group write with the DPT's bytes,
 * bus write on a status address -> MQTT report, connection loss and recovery, and the API's validation.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "micro-h2 only: KNX's tables on PostgreSQL are covered by ConfigurationMicroIT there")
@ExtendWith(RequiredPeers.class)
class KnxMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<AutoCloseable> peers = new ArrayList<>();

    URL deployment = SharedMicro.deployment();

    /**
     * All peers at once: a Calimero server that had a client takes about 10 s to quit (measured: 10.2 s each, 61 s for
     * the class's six peers one after the other), and each peer has its own port, so none waits for another.
     */
    @AfterAll
    static void stopPeers() throws Exception {
        List<Thread> closing = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (AutoCloseable p : peers) {
            Thread t = new Thread(() -> {
                try {
                    p.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "close-knx-peer");
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            t.join(60_000);
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    KnxPeer knxPeer() throws Exception {
        KnxPeer p = new KnxPeer(TestEnvironment.buildDir().resolve("knx-peers")).start(WAIT);
        peers.add(p);
        return p;
    }

    Mosquitto mosquitto() {
        Mosquitto m = Mosquitto.onFreePort(TestEnvironment.buildDir()).start();
        peers.add(m::stop);
        return m;
    }

    long addBroker(Mosquitto m) {
        return addBroker(m, "");
    }

    long addBroker(Mosquitto m, String more) {
        String name = unique("b");
        Http.Response r = api().postJson("brokers", "{\"name\": \"" + name + "\", \"host\": \"127.0.0.1\", \"port\": "
                + m.port() + ", \"clientId\": \"" + name + "\", \"reconnectIntervalSeconds\": 1" + more + "}");
        assertEquals(201, r.status(), r.body());
        long id = r.json().getJsonNumber("id").longValue();
        api().await("brokers/" + id + "/status", x -> x.status() == 200 && x.json().getString("state").equals("CONNECTED"),
                WAIT);
        return id;
    }

    long addConnection(KnxPeer p) {
        Http.Response r = api().postJson("knx/connections", "{\"name\": \"" + unique("knx") + "\", \"type\": "
                + "\"TUNNELING_UDP\", \"host\": \"127.0.0.1\", \"port\": " + p.port() + ", \"localAddress\": "
                + "\"127.0.0.1\", \"reconnectIntervalSeconds\": 1}");
        assertEquals(201, r.status(), r.body());
        long id = r.json().getJsonNumber("id").longValue();
        awaitState(id, "CONNECTED");
        return id;
    }

    JsonObject awaitState(long connection, String state) {
        Http.Response s = api().await("knx/connections/" + connection + "/status",
                x -> x.status() == 200 && x.json().getString("state").equals(state), WAIT);
        assertEquals(state, s.json().getString("state"), s.body());
        return s.json();
    }

    String datapoint(String type) {
        String name = unique("dp");
        Http.Response r = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"path\": \"it/knx/" + name
                + "\", \"dataType\": \"" + type + "\"}");
        assertEquals(201, r.status(), r.body());
        return name;
    }

    void mqttBinding(String dp, long broker) {
        Http.Response r = api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + broker
                + ", \"commandTopic\": \"knx/" + dp + "/set\", \"reportTopic\": \"knx/" + dp + "/state\"}");
        assertEquals(201, r.status(), r.body());
    }

    long knxBinding(String dp, long connection, String write, String listen, String dpt) {
        Http.Response r = api().postJson("knx/bindings", "{\"datapoint\": \"" + dp + "\", \"connectionId\": " + connection
                + ", \"writeAddress\": \"" + write + "\", \"listenAddresses\": [\"" + listen + "\"], \"dpt\": \"" + dpt
                + "\"}");
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    /** Publishes the command until the device sees a group write (the subscription follows the binding shortly). */
    String commandUntilOnBus(Mosquitto m, String topic, String payload, KnxPeer.Device device) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        try (MqttTestClient sender = new MqttTestClient(m.uri())) {
            while (System.nanoTime() < end) {
                sender.publish(topic, payload, 1);
                String seen = device.next(Duration.ofSeconds(1));
                if (seen != null) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no group write on the bus after commands on " + topic);
    }

    @Test
    void mqtt_commands_become_group_writes_and_bus_writes_become_mqtt_reports() throws Exception {
        KnxPeer peer = knxPeer();
        Mosquitto m = mosquitto();
        long broker = addBroker(m);
        long connection = addConnection(peer);
        String dp = datapoint("REAL");
        mqttBinding(dp, broker);
        knxBinding(dp, connection, "1/2/3", "1/2/4", "9.001");

        try (KnxPeer.Device device = peer.device(); MqttTestClient watcher = new MqttTestClient(m.uri())) {
            assertEquals("1/2/3=0c33", commandUntilOnBus(m, "knx/" + dp + "/set", "21.5", device),
                    "21.5 as DPT 9.001 on the write address");

            watcher.subscribe("knx/" + dp + "/state", 1);
            device.write("1/2/4", "0c34", false); // the actuator's status feedback: 21.52
            MqttTestClient.Received report = watcher.next(WAIT);
            while (report != null && !report.payload().equals("21.52")) {
                report = watcher.next(WAIT); // a retained or earlier report of 21.5 may come first
            }
            assertNotNull(report, "the status feedback reached the report topic");
            JsonObject value = api().get("datapoints/" + dp + "/value").json();
            assertEquals(21.52, value.getJsonNumber("value").doubleValue());
            assertTrue(value.getString("source").startsWith("knx:") && value.getString("source").endsWith(":1/2/4"),
                    value.toString());

            Http.Response api = api().putJson("datapoints/" + dp + "/value", "{\"value\": 700000}");
            assertEquals(400, api.status(), "a value DPT 9.001 cannot carry is refused: " + api.body());
            assertTrue(api.body().contains("9.001"), api.body());
        }
        JsonObject status = awaitState(connection, "CONNECTED");
        assertTrue(status.getJsonNumber("telegramsOut").longValue() >= 1, status.toString());
        assertTrue(status.getJsonNumber("telegramsIn").longValue() >= 1, status.toString());
    }

    @Test
    void a_binding_that_reads_at_start_takes_the_status_the_device_answers() throws Exception {
        KnxPeer peer = knxPeer();
        long connection = addConnection(peer);
        String dp = datapoint("BOOLEAN");
        try (KnxPeer.Device device = peer.device()) {
            device.answerReads("5/1/2", "01");
            Http.Response r = api().postJson("knx/bindings", "{\"datapoint\": \"" + dp + "\", \"connectionId\": "
                    + connection + ", \"writeAddress\": \"5/1/1\", \"listenAddresses\": [\"5/1/2\"], \"dpt\": "
                    + "\"1.001\", \"readAtStart\": true}");
            assertEquals(201, r.status(), r.body());
            assertEquals("read 5/1/2", device.next(WAIT), "the status address is read, not the write address");
            JsonObject value = api().await("datapoints/" + dp + "/value",
                    x -> x.status() == 200 && Http.present(x.json(), "value"), WAIT).json();
            assertEquals(true, value.getBoolean("value"), value.toString());
            assertTrue(value.getString("source").endsWith(":5/1/2"), value.toString());
        }
    }

    @Test
    void a_connection_is_stopped_and_started_and_stays_so() throws Exception {
        KnxPeer peer = knxPeer();
        long connection = addConnection(peer);
        Http.Response stop = api().postJson("knx/connections/" + connection + "/stop", "");
        assertEquals(200, stop.status(), stop.body());
        assertEquals("DISABLED", stop.json().getString("state"), stop.body());
        assertEquals(false, api().get("knx/connections/" + connection).json().getBoolean("enabled"));
        assertEquals("DISABLED", api().get("knx/connections/" + connection + "/status").json().getString("state"));
        assertEquals(200, api().postJson("knx/connections/" + connection + "/stop", "").status(), "stopping twice is fine");

        Http.Response start = api().postJson("knx/connections/" + connection + "/start", "");
        assertEquals(200, start.status(), start.body());
        assertEquals(true, api().get("knx/connections/" + connection).json().getBoolean("enabled"));
        awaitState(connection, "CONNECTED");

        Http.Response missing = api().postJson("knx/connections/999999/stop", "");
        assertEquals(404, missing.status(), missing.body());
        assertTrue(missing.contentType().startsWith("application/problem+json"), missing.contentType());
    }

    @Test
    void a_binding_that_answers_reads_answers_the_bus_with_the_datapoint_value() throws Exception {
        KnxPeer peer = knxPeer();
        long connection = addConnection(peer);
        String dp = datapoint("REAL");
        Http.Response b = api().postJson("knx/bindings", "{\"datapoint\": \"" + dp + "\", \"connectionId\": "
                + connection + ", \"writeAddress\": \"6/0/1\", \"listenAddresses\": [\"6/0/2\"], \"dpt\": "
                + "\"9.001\", \"answerReads\": true}");
        assertEquals(201, b.status(), b.body());
        assertEquals(true, b.json().getBoolean("answerReads"), b.body());
        try (KnxPeer.Device device = peer.device()) {
            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 21.5}").status());
            assertEquals("6/0/1=0c33", device.next(WAIT), "the command went to the bus");
            device.read("6/0/2");
            assertEquals("response 6/0/2=0c33", device.next(WAIT), "the status address is answered with the value");
        }
        // counted on the link's thread once the answer went out: the device may see it a moment before
        Http.Response status = api().await("knx/connections/" + connection + "/status",
                x -> x.status() == 200 && x.json().getJsonNumber("readsAnswered").longValue() >= 1, WAIT);
        assertEquals(1, status.json().getJsonNumber("readsAnswered").longValue(), status.body());
    }

    @Test
    void a_lost_knx_server_is_failed_with_the_reason_and_reconnected_when_back() throws Exception {
        KnxPeer peer = knxPeer();
        Mosquitto m = mosquitto();
        long broker = addBroker(m);
        long connection = addConnection(peer);
        String dp = datapoint("BOOLEAN");
        mqttBinding(dp, broker);
        knxBinding(dp, connection, "3/1/1", "3/1/2", "1.001");

        peer.stop();
        JsonObject failed = awaitState(connection, "FAILED");
        assertTrue(failed.getString("reason").contains("retrying"), failed.toString());

        peer.start(WAIT);
        awaitState(connection, "CONNECTED");
        try (KnxPeer.Device device = peer.device()) {
            assertEquals("3/1/1=01", commandUntilOnBus(m, "knx/" + dp + "/set", "on", device));
        }
    }

    @Test
    void a_lost_knx_server_makes_its_datapoints_unreachable_on_their_availability_topic_and_in_their_state()
            throws Exception {
        KnxPeer peer = knxPeer();
        Mosquitto m = mosquitto();
        long broker = addBroker(m, ", \"discovery\": true");
        long connection = addConnection(peer);
        String dp = datapoint("REAL");
        String state = "knx/" + dp + "/state";
        Http.Response b = api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + broker
                + ", \"commandTopic\": \"knx/" + dp + "/set\", \"reportTopic\": \"" + state
                + "\", \"payloadFormat\": \"STATE\"}");
        assertEquals(201, b.status(), b.body());
        long knx = knxBinding(dp, connection, "4/1/1", "4/1/2", "9.001");
        assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 19.5}").status());

        try (MqttTestClient watcher = new MqttTestClient(m.uri())) {
            watcher.subscribe(state + "/availability", 1);
            watcher.subscribe(state, 1);
            watcher.subscribe("homeassistant/#", 1);
            awaitMessage(watcher, state + "/availability", "online"::equals, "online while the connection is up");
            MqttTestClient.Received config = awaitTopic(watcher, "/config", p -> p.contains(state + "/availability"),
                    "a discovery config that follows the datapoint's own availability too");
            JsonObject c = jakarta.json.Json.createReader(new java.io.StringReader(config.payload())).readObject();
            assertEquals("all", c.getString("availability_mode"), c.toString());
            assertEquals(2, c.getJsonArray("availability").size(), c.toString());

            peer.stop();
            awaitMessage(watcher, state + "/availability", "offline"::equals, "offline once the server is gone");
            MqttTestClient.Received report = awaitMessage(watcher, state, p -> p.contains("\"unreachable\""),
                    "the state again, marked unreachable");
            assertTrue(report.payload().contains("19.5"), "the last known value: " + report.payload());
            JsonObject value = api().get("datapoints/" + dp + "/value").json();
            assertEquals("unreachable", value.getString("quality"), value.toString());
            assertTrue(value.getString("qualityReason").startsWith("KNX connection"), value.toString());

            peer.start(WAIT);
            awaitMessage(watcher, state + "/availability", "online"::equals, "online again when it is back");
            awaitMessage(watcher, state, p -> p.contains("\"good\""), "the state again, good");
            assertEquals("good", api().get("datapoints/" + dp + "/value").json().getString("quality"));

            assertEquals(204, api().delete("knx/bindings/" + knx).status());
            awaitMessage(watcher, state + "/availability", String::isEmpty, "a virtual datapoint has no availability");
        }
    }

    static MqttTestClient.Received awaitMessage(MqttTestClient watcher, String topic,
                                                java.util.function.Predicate<String> payload, String what) {
        return await(watcher, t -> t.equals(topic), payload, what + ": nothing on " + topic);
    }

    static MqttTestClient.Received awaitTopic(MqttTestClient watcher, String topicEnd,
                                              java.util.function.Predicate<String> payload, String what) {
        return await(watcher, t -> t.endsWith(topicEnd), payload, what);
    }

    static MqttTestClient.Received await(MqttTestClient watcher, java.util.function.Predicate<String> topic,
                                         java.util.function.Predicate<String> payload, String what) {
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            MqttTestClient.Received r = watcher.next(Duration.ofMillis(500));
            if (r != null && topic.test(r.topic()) && payload.test(r.payload())) {
                return r;
            }
            if (r != null) {
                seen.add(r.topic() + " " + r.payload());
            }
        }
        throw new AssertionError(what + "; seen " + seen);
    }

    @Test
    void configuration_errors_are_400_naming_the_field() throws Exception {
        assertField(api().postJson("knx/connections", "{\"name\": \"x\", \"host\": \"127.0.0.1\", \"port\": 0}"), "port");
        assertField(api().postJson("knx/connections", "{\"name\": \"x\", \"type\": \"ROUTING\", \"host\": \"10.0.0.1\"}"),
                "host");
        Http.Response c = api().postJson("knx/connections", "{\"name\": \"" + unique("off") + "\", \"host\": "
                + "\"127.0.0.1\", \"enabled\": false}");
        assertEquals(201, c.status(), c.body());
        long connection = c.json().getJsonNumber("id").longValue();
        assertEquals("DISABLED", api().get("knx/connections/" + connection + "/status").json().getString("state"));
        Http.Response dup = api().postJson("knx/connections", "{\"name\": \"" + c.json().getString("name")
                + "\", \"host\": \"127.0.0.1\"}");
        assertEquals(409, dup.status(), dup.body());

        String dp = datapoint("REAL");
        String binding = "{\"datapoint\": \"" + dp + "\", \"connectionId\": " + connection;
        assertField(api().postJson("knx/bindings", binding + ", \"writeAddress\": \"1/8/0\", \"dpt\": \"9.001\"}"),
                "writeAddress");
        assertField(api().postJson("knx/bindings", binding + ", \"writeAddress\": \"1/2/3\", \"dpt\": \"10.001\"}"),
                "dpt");
        assertField(api().postJson("knx/bindings", binding + ", \"writeAddress\": \"1/2/3\", \"dpt\": \"1.001\"}"),
                "dpt"); // DPT 1.001 does not fit a REAL datapoint
        assertField(api().postJson("knx/bindings", "{\"datapoint\": \"nope\", \"connectionId\": " + connection
                + ", \"writeAddress\": \"1/2/3\", \"dpt\": \"9.001\"}"), "datapoint");
        long id = knxBinding(dp, connection, "1/2/3", "4/0", "9.001");
        JsonObject read = api().get("knx/bindings?datapoint=" + dp).json(jakarta.json.JsonArray.class).getJsonObject(0);
        assertEquals("4/0", read.getJsonArray("listenAddresses").getString(0));
        // The datapoint's type cannot change under its KNX binding.
        assertField(api().putJson("datapoints/" + dp, "{\"name\": \"" + dp + "\", \"path\": \"it/knx/" + dp
                + "\", \"dataType\": \"BOOLEAN\"}"), "dataType");
        assertEquals(204, api().delete("knx/bindings/" + id).status());
        assertEquals(204, api().delete("knx/connections/" + connection).status());
        assertEquals(404, api().get("knx/connections/" + connection + "/status").status());
    }

    static void assertField(Http.Response r, String field) {
        assertEquals(400, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(field, r.json().getJsonArray("fields").getJsonObject(0).getString("field"), r.body());
    }
}
