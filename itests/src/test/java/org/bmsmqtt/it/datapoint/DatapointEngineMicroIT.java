package org.bmsmqtt.it.datapoint;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
class DatapointEngineMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofSeconds(2);
    private static final List<Mosquitto> extraBrokers = new ArrayList<>();

    URL deployment = SharedMicro.deployment();

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
        return addBroker(broker, "");
    }

    /** {@code extra}: more JSON fields of the broker, each with a leading comma. */
    long addBroker(Mosquitto broker, String extra) {
        String name = unique("b");
        Http.Response r = api().postJson("brokers", "{\"name\": \"" + name + "\", \"host\": \"127.0.0.1\", \"port\": "
                + broker.port() + ", \"clientId\": \"" + name + "\", \"reconnectIntervalSeconds\": 1" + extra + "}");
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
    void a_command_is_confirmed_on_its_report_topic_on_the_same_broker_and_an_api_write_is_reported_once() {
        String dp = datapoint("REAL", "READ_WRITE", false);
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        bind(dp, broker, "echo/" + dp + "/set", "echo/" + dp + "/state", "");
        try (MqttTestClient watcher = new MqttTestClient(m.uri())) {
            watcher.subscribe("echo/" + dp + "/state", 1);
            commandUntilAccepted(m.uri(), "echo/" + dp + "/set", "5", dp);
            MqttTestClient.Received confirmed = watcher.next(WAIT);
            assertNotNull(confirmed, "the command was not confirmed on its state topic");
            assertEquals("5.0", confirmed.payload());
            drainFor(watcher, QUIET); // commandUntilAccepted may have sent the command more than once
            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 6}").status());
            MqttTestClient.Received first = watcher.next(WAIT);
            assertNotNull(first);
            assertEquals("6.0", first.payload());
            assertNull(watcher.next(QUIET), "exactly one report per change");
        }
    }

    @Test
    void a_broker_keeping_the_seed_rule_never_gets_back_a_value_that_came_from_it() {
        String dp = datapoint("REAL", "READ_WRITE", false);
        Mosquitto m = newMosquitto();
        long broker = addBroker(m, ", \"confirmCommands\": false");
        assertEquals(false, api().get("brokers/" + broker).json().getBoolean("confirmCommands"));
        bind(dp, broker, "seed/" + dp + "/set", "seed/" + dp + "/state", "");
        try (MqttTestClient watcher = new MqttTestClient(m.uri())) {
            watcher.subscribe("seed/" + dp + "/state", 1);
            commandUntilAccepted(m.uri(), "seed/" + dp + "/set", "5", dp);
            assertNull(watcher.next(QUIET), "a value from this broker came back to it within the anti-echo window");
            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 6}").status());
            MqttTestClient.Received first = watcher.next(WAIT);
            assertNotNull(first);
            assertEquals("6.0", first.payload());
        }
    }

    @Test
    void a_loop_through_a_mosquitto_bridge_brings_the_report_back_once_and_then_it_is_quiet() throws Exception {
        Mosquitto a = newMosquitto();
        String dp = loopDatapoint(a, true);
        try (MqttTestClient observer = new MqttTestClient(a.uri())) {
            observer.subscribe("$SYS/broker/connection/#", 1);
            // An MQTT 3.1.1 bridge (mosquitto's default) loses our origin mark: rep/<dp> -> mid/<dp> -> cmd/<dp>.
            Mosquitto bridge = Mosquitto.onFreePort(TestEnvironment.buildDir()).withConfig(false,
                    "connection loop-in-" + dp, "address 127.0.0.1:" + a.port(), "topic " + dp + " in 1 mid/ rep/",
                    "connection loop-out-" + dp, "address 127.0.0.1:" + a.port(), "topic " + dp + " out 1 mid/ cmd/");
            extraBrokers.add(bridge.start());
            int up = 0;
            for (long end = System.nanoTime() + WAIT.toNanos(); up < 2 && System.nanoTime() < end; ) {
                MqttTestClient.Received r = observer.next(Duration.ofSeconds(1));
                if (r != null && r.payload().equals("1")) {
                    up++;
                }
            }
            assertEquals(2, up, "the two bridge connections did not come up");
            drainFor(observer, QUIET);
            observer.subscribe("+/" + dp, 1);
            commandThroughTheLoop(observer, dp, "7");
        }
        List<String> history = historyValues(dp, "7.0");
        assertEquals(1, history.stream().filter("7.0"::equals).count(), "the echo is not a second value: " + history);
    }

    @Test
    void an_mqtt3_client_echoing_every_report_as_a_command_gets_one_echo_and_then_it_is_quiet() throws Exception {
        Mosquitto m = newMosquitto();
        String dp = loopDatapoint(m, false);
        String host = "-h 127.0.0.1 -p " + m.port() + " -V mqttv311";
        Process echo = new ProcessBuilder("sh", "-c", "mosquitto_sub " + host + " -t rep/" + dp
                + " | mosquitto_pub " + host + " -t cmd/" + dp + " -l").redirectErrorStream(true).start();
        try (MqttTestClient observer = new MqttTestClient(m.uri())) {
            observer.subscribe("+/" + dp, 1);
            // until the echo client listens: a payload the REAL datapoint refuses (counted), echoed as one
            boolean listening = false;
            for (long end = System.nanoTime() + WAIT.toNanos(); !listening && System.nanoTime() < end; ) {
                observer.publish("rep/" + dp, "probe", 1);
                for (MqttTestClient.Received r; (r = observer.next(Duration.ofMillis(300))) != null; ) {
                    listening |= r.topic().equals("cmd/" + dp) && r.payload().equals("probe");
                }
            }
            assertTrue(listening, "the echo client did not start");
            drainFor(observer, QUIET);
            commandThroughTheLoop(observer, dp, "8");
        } finally {
            echo.descendants().forEach(ProcessHandle::destroy);
            echo.destroy();
        }
    }

    @Test
    void on_a_stock_mosquitto_a_burst_of_commands_is_confirmed_completely_and_in_order() {
        // Receive Maximum 20 and 1000 queued messages per client, as mosquitto ships
        Mosquitto stock = Mosquitto.onFreePort(TestEnvironment.buildDir()).withStockLimits().start();
        extraBrokers.add(stock);
        long broker = addBroker(stock);
        String run = unique("relay");
        int points = 10;
        int perPoint = 200;
        for (int i = 0; i < points; i++) {
            String dp = datapoint("INTEGER", "READ_WRITE", false);
            bind(dp, broker, run + "/" + i + "/set", run + "/" + i + "/state", ", \"qos\": 1");
            commandUntilAccepted(stock.uri(), run + "/" + i + "/set", "0", dp);
        }
        try (MqttTestClient watcher = new MqttTestClient(stock.uri());
             MqttTestClient commands = new MqttTestClient(stock.uri())) {
            watcher.subscribe(run + "/+/state", 1);
            drainFor(watcher, QUIET);
            for (int n = 1; n <= perPoint; n++) {
                for (int i = 0; i < points; i++) {
                    commands.publish(run + "/" + i + "/set", Integer.toString(n), 1);
                }
            }
            Map<String, List<String>> seen = new java.util.HashMap<>();
            int got = 0;
            for (MqttTestClient.Received r; got < points * perPoint && (r = watcher.next(WAIT)) != null; got++) {
                seen.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.payload());
            }
            assertEquals(points * perPoint, got, "confirmations lost: " + api().get("system/status").body());
            List<String> expected = java.util.stream.IntStream.rangeClosed(1, perPoint).mapToObj(Integer::toString).toList();
            for (int i = 0; i < points; i++) {
                assertEquals(expected, seen.get(run + "/" + i + "/state"), "order on " + run + "/" + i + "/state");
            }
            assertNull(watcher.next(QUIET), "nothing more than one confirmation per command");
        }
        JsonObject status = api().get("brokers/" + broker + "/status").json();
        assertEquals(0, status.getJsonNumber("refused").longValue(), status.toString());
    }

    /** A datapoint with command topic cmd/<dp> and report topic rep/<dp> on {@code m}, its subscription in place. */
    String loopDatapoint(Mosquitto m, boolean historical) {
        long broker = addBroker(m);
        String dp = datapoint("REAL", "READ_WRITE", historical);
        bind(dp, broker, "cmd/" + dp, "rep/" + dp, "");
        commandUntilAccepted(m.uri(), "cmd/" + dp, "1", dp);
        return dp;
    }

    /**
     * A command on cmd/<dp> while a loop without our mark leads rep/<dp> back to cmd/<dp>: the observer (on +/<dp>)
     * sees the command, its confirmation, the confirmation coming back as a command, and then silence; the datapoint
     * counts one echo and keeps the value.
     */
    void commandThroughTheLoop(MqttTestClient observer, String dp, String value) {
        observer.publish("cmd/" + dp, value, 1);
        String canonical = Double.toString(Double.parseDouble(value));
        Map<String, List<String>> seen = collect(observer, Duration.ofSeconds(5));
        assertEquals(Map.of("cmd/" + dp, List.of(value, canonical), "rep/" + dp, List.of(canonical)), seen,
                "the command, its confirmation, the confirmation back through the loop, then silence");
        JsonObject v = awaitValue(dp, x -> x.getJsonNumber("echoes").longValue() == 1);
        assertEquals(Double.parseDouble(value), v.getJsonNumber("value").doubleValue(), v.toString());
    }

    void drainFor(MqttTestClient client, Duration quiet) {
        while (client.next(quiet) != null) {
            // skip
        }
    }

    /** Every message within {@code window} by topic, in order. */
    static Map<String, List<String>> collect(MqttTestClient client, Duration window) {
        Map<String, List<String>> seen = new java.util.LinkedHashMap<>();
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            MqttTestClient.Received m = client.next(Duration.ofMillis(Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (m != null) {
                seen.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(m.payload());
            }
        }
        return seen;
    }

    List<String> historyValues(String dp, String mustContain) {
        Http.Response h = api().await("datapoints/" + dp + "/history",
                x -> x.status() == 200 && x.body().contains("\"" + mustContain + "\""), WAIT);
        return h.json(JsonArray.class).stream().map(x -> x.asJsonObject().getString("value")).toList();
    }

    @Test
    void a_command_carrying_our_own_origin_mark_is_ignored() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        String dp = datapoint("REAL", "READ_WRITE", true);
        bind(dp, broker, "mark/" + dp + "/set", null, "");
        commandUntilAccepted(m.uri(), "mark/" + dp + "/set", "1", dp);
        String serverId = SharedMicro.serverId();
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
    void a_datapoint_with_options_takes_only_those_values() {
        Mosquitto m = newMosquitto();
        long broker = addBroker(m);
        String dp = unique("dp");
        Http.Response r = api().postJson("datapoints", "{\"name\": \"" + dp + "\", \"path\": \"it/engine/" + dp
                + "\", \"dataType\": \"STRING\", \"options\": [\"comfort\", \"eco\", \"off\"]}");
        assertEquals(201, r.status(), r.body());
        assertEquals(3, r.json().getJsonArray("options").size(), r.body());
        Http.Response real = api().postJson("datapoints", "{\"name\": \"" + unique("dp") + "\", \"dataType\": "
                + "\"REAL\", \"options\": [\"1\"]}");
        assertEquals(400, real.status(), real.body());
        assertTrue(real.body().contains("\"options\""), "the problem names the field: " + real.body());

        bind(dp, broker, "opt/" + dp + "/set", "opt/" + dp + "/state", "");
        commandUntilAccepted(m.uri(), "opt/" + dp + "/set", "eco", dp);
        try (MqttTestClient device = new MqttTestClient(m.uri())) {
            device.publish("opt/" + dp + "/set", "warm", 1);
        }
        JsonObject v = awaitValue(dp, x -> x.getJsonNumber("rejected").longValue() == 1);
        assertEquals("eco", v.getString("value"), "a value outside the options changes nothing");
        assertTrue(v.getString("lastError").contains("not one of the options"), v.toString());
        Http.Response put = api().putJson("datapoints/" + dp + "/value", "{\"value\": \"boost\"}");
        assertEquals(400, put.status(), put.body());
        assertTrue(put.body().contains("\"value\""), put.body());
        assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": \"off\"}").status());
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
