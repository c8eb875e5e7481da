package org.bmsmqtt.it.datapoint;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The datapoint engine as integrators use it, on Payara Micro: brokers added while running, several brokers at once,
 * relaying between brokers, anti-echo, access modes, JSON payloads, bad payloads, history.
 */
@ExtendWith(RequiredPeers.class)
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DatapointEngineMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final List<Mosquitto> extraBrokers = new ArrayList<>();

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive bms() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, TestEnvironment.buildDir().resolve("bms.war").toFile());
    }

    @AfterAll
    static void stopBrokers() {
        extraBrokers.forEach(Mosquitto::stop);
    }

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts a mosquitto of this test, adds it as a broker through the API and waits until it is CONNECTED. */
    long addBroker(Mosquitto broker) {
        String name = unique("b");
        Http.Response r = api().postJson("brokers", "{\"name\": \"" + name + "\", \"host\": \"127.0.0.1\", \"port\": "
                + broker.port() + ", \"clientId\": \"" + name + "\", \"reconnectIntervalSeconds\": 1}");
        assertEquals(201, r.status(), r.body());
        long id = r.json().getJsonNumber("id").longValue();
        Http.Response s = api().await("brokers/" + id + "/status",
                x -> x.status() == 200 && x.json().getString("state").equals("CONNECTED"), WAIT);
        assertEquals("CONNECTED", s.json().getString("state"), s.body());
        return id;
    }

    Mosquitto newMosquitto() {
        Mosquitto m = Mosquitto.onFreePort(TestEnvironment.buildDir()).start();
        extraBrokers.add(m);
        return m;
    }

    String datapoint(String type, String access, boolean historical) {
        String name = unique("dp");
        Http.Response r = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"path\": \"it/engine/" + name
                + "\", \"dataType\": \"" + type + "\", \"accessMode\": \"" + access + "\", \"historical\": "
                + historical + "}");
        assertEquals(201, r.status(), r.body());
        return name;
    }

    void bind(String dp, long broker, String command, String report, String extra) {
        StringBuilder json = new StringBuilder("{\"brokerId\": " + broker);
        if (command != null) {
            json.append(", \"commandTopic\": \"").append(command).append('"');
        }
        if (report != null) {
            json.append(", \"reportTopic\": \"").append(report).append('"');
        }
        json.append(extra).append('}');
        Http.Response r = api().postJson("datapoints/" + dp + "/bindings", json.toString());
        assertEquals(201, r.status(), r.body());
    }

    JsonObject awaitValue(String dp, java.util.function.Predicate<JsonObject> done) {
        return api().await("datapoints/" + dp + "/value", x -> x.status() == 200 && done.test(x.json()), WAIT).json();
    }

    /** Publishes until the subscription made after the binding is in place and the value shows up. */
    void commandUntilAccepted(String uri, String topic, String payload, String dp) {
        long end = System.nanoTime() + WAIT.toNanos();
        try (MqttTestClient device = new MqttTestClient(uri)) {
            while (System.nanoTime() < end) {
                device.publish(topic, payload, 1);
                Http.Response r = api().await("datapoints/" + dp + "/value",
                        x -> Http.present(x.json(), "value") || x.json().getJsonNumber("rejected").longValue() > 0,
                        Duration.ofSeconds(1));
                if (Http.present(r.json(), "value") || r.json().getJsonNumber("rejected").longValue() > 0) {
                    return;
                }
            }
        }
        throw new AssertionError("no command on " + topic + " reached " + dp);
    }

    // --- tests ---------------------------------------------------------------------------------------------------

    @Test
    void a_datapoint_bound_to_two_brokers_relays_between_them_and_brokers_added_while_running_connect() {
        Mosquitto a = newMosquitto();
        Mosquitto b = newMosquitto();
        long brokerA = addBroker(a);
        long brokerB = addBroker(b);
        String dp = datapoint("REAL", "READ_WRITE", false);
        bind(dp, brokerA, "site-a/" + dp + "/cmd", null, "");
        bind(dp, brokerB, null, "site-b/" + dp + "/state", "");
        try (MqttTestClient listenerB = new MqttTestClient(b.uri())) {
            listenerB.subscribe("site-b/" + dp + "/state", 1);
            commandUntilAccepted(a.uri(), "site-a/" + dp + "/cmd", "19.5", dp);
            MqttTestClient.Received got = listenerB.next(WAIT);
            assertNotNull(got, "nothing relayed to broker B");
            assertEquals("19.5", got.payload());
        }
    }

    @Test
    void a_value_from_a_broker_is_not_echoed_back_to_it_but_an_api_write_is_reported_once() {
        String dp = datapoint("REAL", "READ_WRITE", false);
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        bind(dp, broker, "echo/" + dp + "/set", "echo/" + dp + "/state", "");
        try (MqttTestClient watcher = new MqttTestClient(m.uri())) {
            watcher.subscribe("echo/" + dp + "/state", 1);
            commandUntilAccepted(m.uri(), "echo/" + dp + "/set", "5", dp);
            assertNull(watcher.next(QUIET), "a value from this broker came back to it within the anti-echo window");
            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 6}").status());
            MqttTestClient.Received first = watcher.next(WAIT);
            assertNotNull(first);
            assertEquals("6.0", first.payload());
            assertNull(watcher.next(QUIET), "exactly one report per change");
        }
    }

    @Test
    void a_command_carrying_our_own_origin_mark_is_ignored() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        String dp = datapoint("REAL", "READ_WRITE", true);
        bind(dp, broker, "mark/" + dp + "/set", null, "");
        commandUntilAccepted(m.uri(), "mark/" + dp + "/set", "1", dp);
        String serverId = "bms-it-micro-" + System.getProperty("it.database", "h2");
        try (MqttTestClient device = new MqttTestClient(m.uri())) {
            device.publish("mark/" + dp + "/set", "99", 1, java.util.Map.of("bms-origin", serverId)); // ours: a loop
            device.publish("mark/" + dp + "/set", "2", 1, java.util.Map.of("bms-origin", "another-server"));
        }
        JsonObject v = awaitValue(dp, x -> x.getJsonNumber("value").doubleValue() == 2.0);
        assertEquals(2.0, v.getJsonNumber("value").doubleValue(), v.toString());
        // Every value the datapoint took is in its history: 99 must never have been one of them.
        Http.Response h = api().await("datapoints/" + dp + "/history",
                x -> x.status() == 200 && x.body().contains("\"2.0\""), WAIT);
        List<String> values = h.json(jakarta.json.JsonArray.class).stream()
                .map(x -> x.asJsonObject().getString("value")).toList();
        assertTrue(values.contains("2.0"), h.body());
        assertTrue(!values.contains("99.0"), "a message with our own mark was executed: " + h.body());
    }

    @Test
    void access_modes_are_honoured() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        String readOnly = datapoint("REAL", "READ", false);
        bind(readOnly, broker, "acc/" + readOnly + "/set", "acc/" + readOnly + "/state", "");
        commandUntilAccepted(m.uri(), "acc/" + readOnly + "/set", "1", readOnly);
        JsonObject v = awaitValue(readOnly, x -> x.getJsonNumber("rejected").longValue() >= 1);
        assertTrue(v.getString("lastError").contains("READ"), v.toString());
        assertTrue(!Http.present(v, "value"), "a READ datapoint must not take a command: " + v);
        Http.Response put = api().putJson("datapoints/" + readOnly + "/value", "{\"value\": 2}");
        assertEquals(400, put.status(), put.body());

        String writeOnly = datapoint("BOOLEAN", "WRITE", false);
        bind(writeOnly, broker, "acc/" + writeOnly + "/set", "acc/" + writeOnly + "/state", "");
        try (MqttTestClient watcher = new MqttTestClient(m.uri())) {
            watcher.subscribe("acc/" + writeOnly + "/state", 1);
            assertEquals(200, api().putJson("datapoints/" + writeOnly + "/value", "{\"value\": \"on\"}").status());
            assertEquals(true, awaitValue(writeOnly, x -> Http.present(x, "value")).getBoolean("value"));
            assertNull(watcher.next(QUIET), "a WRITE datapoint is not reported");
        }
    }

    @Test
    void json_payloads_are_read_and_written_at_the_json_pointer() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        String dp = datapoint("REAL", "READ_WRITE", false);
        bind(dp, broker, "json/" + dp + "/set", "json/" + dp + "/state",
                ", \"payloadFormat\": \"JSON\", \"jsonPointer\": \"/temperature/value\"");
        commandUntilAccepted(m.uri(), "json/" + dp + "/set", "{\"temperature\": {\"value\": 21.25, \"unit\": \"C\"}}", dp);
        assertEquals(21.25, awaitValue(dp, x -> Http.present(x, "value")).getJsonNumber("value").doubleValue());
        try (MqttTestClient watcher = new MqttTestClient(m.uri())) {
            watcher.subscribe("json/" + dp + "/state", 1);
            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 22}").status());
            MqttTestClient.Received r = watcher.next(WAIT);
            assertNotNull(r);
            assertEquals("{\"temperature\":{\"value\":22.0}}", r.payload());
        }
    }

    @Test
    void every_kind_of_bad_payload_is_counted_and_changes_nothing() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        String dp = datapoint("REAL", "READ_WRITE", false);
        bind(dp, broker, "bad/" + dp + "/set", null, ", \"payloadFormat\": \"JSON\", \"jsonPointer\": \"/v\"");
        commandUntilAccepted(m.uri(), "bad/" + dp + "/set", "{\"v\": 10}", dp);
        try (MqttTestClient device = new MqttTestClient(m.uri())) {
            device.publish("bad/" + dp + "/set", "{\"v\": ", 1);                 // malformed JSON
            device.publish("bad/" + dp + "/set", "{\"w\": 1}", 1);               // pointer finds nothing
            device.publish("bad/" + dp + "/set", "{\"v\": \"warm\"}", 1);        // not a number
            device.publish("bad/" + dp + "/set", "{\"v\": 1, \"pad\": \"" + "x".repeat(70_000) + "\"}", 1); // oversized
        }
        JsonObject v = awaitValue(dp, x -> x.getJsonNumber("rejected").longValue() == 4);
        assertEquals(4, v.getJsonNumber("rejected").longValue(), v.toString());
        assertEquals(10.0, v.getJsonNumber("value").doubleValue(), "rejected payloads must not change the value");
    }

    @Test
    void historical_values_are_stored_and_queried_with_aggregates() {
        String dp = datapoint("REAL", "READ_WRITE", true);
        for (int i = 1; i <= 5; i++) {
            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": " + i + "}").status());
        }
        Http.Response h = api().await("datapoints/" + dp + "/history",
                x -> x.status() == 200 && x.json(JsonArray.class).size() == 5, WAIT);
        JsonArray rows = h.json(JsonArray.class);
        assertEquals(5, rows.size(), h.body());
        assertEquals("1.0", rows.getJsonObject(0).getString("value"));
        assertEquals("5.0", rows.getJsonObject(4).getString("value"));
        Http.Response limited = api().get("datapoints/" + dp + "/history?limit=2");
        assertEquals(2, limited.json(JsonArray.class).size());
        JsonObject queue = api().get("system/status").json().getJsonObject("history");
        assertEquals(false, queue.getBoolean("degraded"), queue.toString());
        assertEquals(200_000, queue.getInt("capacity"));
        assertTrue(queue.getJsonNumber("written").longValue() >= 5, queue.toString());
        Http.Response agg = api().get("datapoints/" + dp + "/history/aggregates?interval=PT1H");
        JsonObject bucket = agg.json(JsonArray.class).getJsonObject(0);
        assertEquals(5, bucket.getJsonNumber("count").longValue(), agg.body());
        assertEquals(1.0, bucket.getJsonNumber("min").doubleValue());
        assertEquals(5.0, bucket.getJsonNumber("max").doubleValue());
        assertEquals(3.0, bucket.getJsonNumber("avg").doubleValue());
    }

    @Test
    void a_deleted_broker_disconnects_and_an_updated_one_reconnects_with_its_new_settings() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        JsonObject stored = api().get("brokers/" + broker).json();
        String clientId = stored.getString("clientId");

        // update: a new client id; the session must come back CONNECTED with it
        String json = stored.toString().replace("\"clientId\":\"" + clientId + "\"", "\"clientId\":\"" + clientId + "-v2\"");
        assertEquals(200, api().putJson("brokers/" + broker, json).status());
        Http.Response s = api().await("brokers/" + broker + "/status",
                x -> x.status() == 200 && x.json().getString("state").equals("CONNECTED"), WAIT);
        assertEquals("CONNECTED", s.json().getString("state"), s.body());

        // delete: a client taking over the client id is not kicked off by a session that is still reconnecting
        assertEquals(204, api().delete("brokers/" + broker).status());
        assertEquals(404, api().get("brokers/" + broker).status());
        try (ProbeClient probe = new ProbeClient(m.uri(), clientId + "-v2")) {
            assertTrue(probe.stillConnectedAfter(Duration.ofSeconds(4)),
                    "the deleted broker's session is still connecting with its client id");
        }
    }

    /** A plain client with a given client id that notices when the broker disconnects it. */
    static final class ProbeClient implements AutoCloseable {
        private final org.eclipse.paho.mqttv5.client.MqttClient client;

        ProbeClient(String uri, String clientId) {
            try {
                client = new org.eclipse.paho.mqttv5.client.MqttClient(uri, clientId,
                        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
                client.connect();
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean stillConnectedAfter(Duration d) {
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                if (!client.isConnected()) {
                    return false;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return client.isConnected();
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // closing a probe
            }
        }
    }
}
