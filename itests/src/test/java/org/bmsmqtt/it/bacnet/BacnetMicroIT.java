package org.bmsmqtt.it.bacnet;

import com.serotonin.bacnet4j.obj.AnalogValueObject;
import com.serotonin.bacnet4j.obj.BinaryValueObject;
import com.serotonin.bacnet4j.obj.MultistateValueObject;
import com.serotonin.bacnet4j.type.constructed.BACnetArray;
import com.serotonin.bacnet4j.type.enumerated.BinaryPV;
import com.serotonin.bacnet4j.type.enumerated.EngineeringUnits;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.bmsmqtt.bms.bacnet.BacnetStack;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BACnet end to end on Payara Micro, against a BACnet4J device this test runs on loopback: the BMS binds
 * 127.0.0.1:P, the device 127.0.0.2:P (one free port P), broadcasts go to 127.255.255.255 only. Discovery, COV to
 * MQTT reports, MQTT commands written at the binding's priority and relinquished, polling for an object without
 * COV, validation errors, and the device going away and coming back.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "micro-h2 only: BACnet's tables on PostgreSQL are covered by ConfigurationMicroIT there")
@ExtendWith(RequiredPeers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BacnetMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int DEVICE = 260001;
    static final int PORT = freePort();
    static Mosquitto mosquitto;
    static BacnetStack device;
    static AnalogValueObject av0;
    static AnalogValueObject av1;
    static BinaryValueObject bv0;
    static MultistateValueObject msv0;
    static Long brokerId;

    URL deployment = SharedMicro.deployment();

    @AfterAll
    static void stop() {
        if (device != null) {
            device.close();
        }
        if (mosquitto != null) {
            mosquitto.stop();
        }
    }

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    @Test
    @Order(1)
    void invalid_input_is_a_400_naming_the_field() {
        assertField(api().putJson("bacnet/network", network(0, "127.255.255.255")), 400, "port");
        assertField(api().putJson("bacnet/network", network(PORT, null)), 400, "broadcastAddress");
        assertField(api().putJson("bacnet/network", network(PORT, "127.255.255.255").replace("}",
                ", \"bbmdAddress\": \"bbmd.example\"}")), 400, "bbmdAddress");
        assertField(api().putJson("bacnet/network", "{\"deviceInstance\": 4194303, \"deviceName\": \"bms\", "
                + "\"broadcastAddress\": \"127.255.255.255\"}"), 400, "deviceInstance");
        String dp = datapoint("REAL");
        assertField(api().postJson("bacnet/bindings", binding(dp, "trend-log", 0, 8, "")), 400, "objectType");
        assertField(api().postJson("bacnet/bindings", binding(dp, "analog-value", 0, 17, "")), 400, "writePriority");
        assertField(api().postJson("bacnet/bindings", binding(dp, "analog-value", 0, 8, ", \"covIncrement\": -1")),
                400, "covIncrement");
        assertField(api().postJson("bacnet/bindings", binding(dp, "binary-value", 0, 8, "")), 400, "objectType");
        assertEquals(404, api().postJson("bacnet/bindings", binding("no-such-dp", "analog-value", 0, 8, "")).status());
        assertEquals(404, api().get("bacnet/network").status(), "nothing configured yet");
    }

    @Test
    @Order(2)
    void a_network_that_cannot_open_is_failed_with_the_reason_and_readiness_down() throws Exception {
        try (DatagramSocket held = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            assertEquals(200, api().putJson("bacnet/network", network(held.getLocalPort(), "127.255.255.255"))
                    .status());
            Http.Response s = api().await("bacnet/network/status", x -> "FAILED".equals(x.json().getString("state")),
                    WAIT);
            assertEquals("FAILED", s.json().getString("state"), s.body());
            JsonObject check = awaitCheck(c -> "DOWN".equals(c.getString("status")));
            assertEquals("FAILED", check.getJsonObject("data").getString("state"), check.toString());
            assertTrue(check.getJsonObject("data").getString("reason").contains("Exception"), check.toString());
            assertEquals(0.0, metric("bms_bacnet_open"));
        }
    }

    @Test
    @Order(3)
    void the_network_opens_and_discovers_the_device_and_its_objects() throws Exception {
        startDevice();
        Http.Response r = api().putJson("bacnet/network", network(PORT, "127.255.255.255"));
        assertEquals(200, r.status(), r.body());
        Http.Response s = api().await("bacnet/network/status", x -> "OPEN".equals(x.json().getString("state")), WAIT);
        assertEquals("OPEN", s.json().getString("state"), s.body());
        Http.Response devices = api().await("bacnet/devices", x -> x.body().contains("\"instance\":" + DEVICE), WAIT);
        assertTrue(devices.body().contains("127.0.0.2:" + PORT), devices.body());
        Http.Response objects = api().get("bacnet/devices/" + DEVICE + "/objects");
        assertEquals(200, objects.status(), objects.body());
        assertTrue(objects.body().contains(
                "{\"bindable\":true,\"instance\":1,\"name\":\"no-cov\",\"type\":\"analog-value\"}"),
                objects.body());
        JsonObject check = awaitCheck(c -> "UP".equals(c.getString("status"))
                && c.getJsonObject("data").getInt("devices", 0) >= 1);
        assertEquals("OPEN", check.getJsonObject("data").getString("state"), check.toString());
        assertEquals(1.0, metric("bms_bacnet_open"));
        assertEquals(404, api().get("bacnet/devices/4000000/objects").status());
    }

    @Test
    @Order(4)
    void cov_changes_reach_mqtt_and_mqtt_commands_write_at_the_priority_and_relinquish() throws Exception {
        String dp = datapoint("REAL");
        long binding = bind(dp, "analog-value", 0, 8, ", \"covIncrement\": 0");
        String cmd = "it/bacnet/" + dp + "/set";
        String rep = "it/bacnet/" + dp + "/state";
        mqttBinding(dp, cmd, rep);
        awaitStatus(binding, "COV");
        try (MqttTestClient client = new MqttTestClient(mosquitto.uri())) {
            client.subscribe(rep, 1);
            av0.writePropertyInternal(PropertyIdentifier.presentValue, new Real(23.5f));
            awaitReport(client, "23.5");

            commandUntil(client, cmd, "25.5", () -> priority(av0, 8).equals("PriorityValue(25.5)"));
            assertEquals(new Real(25.5f), av0.readProperty(PropertyIdentifier.presentValue));
            commandUntil(client, cmd, "", () -> priority(av0, 8).equals("PriorityValue(Null)"));
            awaitReport(client, "0.0"); // back to the relinquish default, reported through COV
        }
        JsonObject value = api().get("datapoints/" + dp + "/value").json();
        assertTrue(value.getString("source").startsWith("bacnet:cov:" + DEVICE + ":analog-value:0"), value.toString());
    }

    @Test
    @Order(5)
    void binary_and_multi_state_objects_map_to_boolean_and_integer() throws Exception {
        String b = datapoint("BOOLEAN");
        long bb = bind(b, "binary-value", 0, 3, "");
        String m = datapoint("INTEGER");
        long mb = bind(m, "multi-state-value", 0, 16, "");
        awaitStatus(bb, "COV");
        awaitStatus(mb, "COV");
        bv0.writePropertyInternal(PropertyIdentifier.presentValue, BinaryPV.active);
        msv0.writePropertyInternal(PropertyIdentifier.presentValue, new UnsignedInteger(3));
        awaitValue(b, v -> v.getBoolean("value", false));
        awaitValue(m, v -> v.getJsonNumber("value") != null && v.getJsonNumber("value").intValue() == 3);

        assertEquals(200, api().putJson("datapoints/" + b + "/value", "{\"value\": false}").status());
        awaitTrue(() -> priority(bv0, 3).equals("PriorityValue(inactive)"), "binary written at priority 3");
        assertEquals(202, api().postJson("bacnet/bindings/" + bb + "/relinquish", "{}").status());
        awaitTrue(() -> priority(bv0, 3).equals("PriorityValue(Null)"), "priority 3 relinquished");
    }

    @Test
    @Order(6)
    void an_object_without_cov_is_polled_and_the_status_says_why() {
        String dp = datapoint("REAL");
        long binding = bind(dp, "analog-value", 1, 8, ", \"pollSeconds\": 1");
        JsonObject s = awaitStatus(binding, "POLLING");
        assertTrue(s.getString("reason").startsWith("COV refused"), s.toString());
        av1.writePropertyInternal(PropertyIdentifier.presentValue, new Real(42f));
        JsonObject v = awaitValue(dp, x -> x.getJsonNumber("value") != null
                && x.getJsonNumber("value").doubleValue() == 42.0);
        assertTrue(v.getString("source").startsWith("bacnet:poll:"), v.toString());
    }

    @Test
    @Order(7)
    void the_device_going_away_and_coming_back() throws Exception {
        String dp = datapoint("REAL");
        long binding = bind(dp, "analog-value", 0, 8, ", \"pollSeconds\": 1");
        awaitStatus(binding, "COV");
        device.close();
        device = null;
        // The subscription renewal or a poll notices; a restarted device announces itself (I-Am) and is resubscribed.
        startDevice();
        av0.writePropertyInternal(PropertyIdentifier.presentValue, new Real(31f));
        awaitStatus(binding, "COV");
        awaitValue(dp, x -> x.getJsonNumber("value") != null && x.getJsonNumber("value").doubleValue() == 31.0);
    }

    @Test
    @Order(7)
    void a_device_that_stops_answering_makes_its_datapoint_unreachable_until_it_is_back() throws Exception {
        String dp = datapoint("REAL");
        long binding = bind(dp, "analog-value", 1, 8, ", \"cov\": false, \"pollSeconds\": 1");
        awaitStatus(binding, "POLLING");
        awaitValue(dp, x -> x.getString("quality").equals("good"));
        device.close();
        device = null;
        awaitStatus(binding, "UNREACHABLE");
        JsonObject v = awaitValue(dp, x -> x.getString("quality").equals("unreachable"));
        assertTrue(v.getString("qualityReason").contains("does not answer"), v.toString());
        startDevice();
        awaitStatus(binding, "POLLING");
        awaitValue(dp, x -> x.getString("quality").equals("good"));
    }

    @Test
    @Order(8)
    void a_write_the_device_refuses_is_counted_on_the_datapoint_and_the_binding_with_the_reason() {
        String dp = datapoint("REAL");
        long binding = bind(dp, "analog-value", 77, 9, ", \"cov\": false"); // the device has no analog-value 77
        JsonObject error = awaitStatus(binding, "ERROR");
        assertTrue(error.getString("reason").startsWith("the device refused: "), error.toString());
        double failuresBefore = metric("bms_bacnet_write_failures");
        assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 5}").status());
        JsonObject v = awaitValue(dp, x -> x.getJsonNumber("rejected").longValue() == 1);
        assertTrue(v.getString("lastError").startsWith("BACnet write of present-value of analog-value 77 on device "
                + DEVICE + " at priority 9 failed: the device refused"), v.toString());
        JsonObject s = api().get("bacnet/bindings/" + binding + "/status").json();
        assertEquals(1, s.getJsonNumber("writes").longValue(), s.toString());
        assertEquals(1, s.getJsonNumber("writeFailures").longValue(), s.toString());
        assertTrue(s.getString("lastWriteError").startsWith("the device refused"), s.toString());
        assertEquals(failuresBefore + 1, metric("bms_bacnet_write_failures"));
        assertTrue(metric("bms_bacnet_cov_notifications") >= 1, "COV values of the earlier tests counted");
    }

    @Test
    @Order(9)
    void the_network_is_in_the_configuration_document_and_an_unchanged_import_does_not_reopen_it() {
        JsonObject before = api().get("bacnet/network/status").json();
        assertEquals("OPEN", before.getString("state"), before.toString());
        JsonObject net = api().get("configuration").json().getJsonObject("bacnet").getJsonObject("network");
        assertEquals(260000, net.getInt("deviceInstance"), net.toString());
        assertEquals(PORT, net.getInt("port"), net.toString());
        assertEquals("127.255.255.255", net.getString("broadcastAddress"), net.toString());
        assertEquals("", net.getString("bbmdAddress"), net.toString());
        assertEquals(300, net.getInt("foreignTtlSeconds"), net.toString());
        Http.Response r = api().postJson("configuration", "{\"bacnet\": {\"network\": " + net + "}}");
        assertEquals(200, r.status(), r.body());
        assertTrue(!r.json().getBoolean("bacnetNetworkApplied"), r.body());
        JsonObject after = api().get("bacnet/network/status").json();
        assertEquals(before.getString("since"), after.getString("since"), "not reopened: " + after);
        assertEquals("OPEN", after.getString("state"), after.toString());
    }

    @Test
    @Order(10)
    void as_a_foreign_device_of_a_bbmd_it_finds_the_device_from_another_port() throws Exception {
        // The devices' network stays on PORT; a BBMD joins it on 127.0.0.4. The BMS moves to another port, where no
        // broadcast of theirs arrives, as on another subnet, and registers with the BBMD.
        int other = freePort();
        try (BacnetStack bbmd = BacnetStack.open(260002, "it-bbmd", "127.0.0.4", "127.255.255.255", PORT)) {
            ((com.serotonin.bacnet4j.npdu.ip.IpNetwork) bbmd.device().getNetwork()).enableBBMD();
            Http.Response r = api().putJson("bacnet/network", network(other, "127.255.255.255").replace("}",
                    ", \"bbmdAddress\": \"127.0.0.4\", \"bbmdPort\": " + PORT + ", \"foreignTtlSeconds\": 60}"));
            assertEquals(200, r.status(), r.body());
            assertEquals("127.0.0.4", r.json().getString("bbmdAddress"), r.body());
            Http.Response s = api().await("bacnet/network/status", x -> "OPEN".equals(x.json().getString("state"))
                    && x.json().getString("reason").contains("BBMD"), WAIT);
            assertTrue(s.json().getString("reason").contains("foreign device of the BBMD 127.0.0.4:" + PORT),
                    s.body());
            Http.Response devices = api().await("bacnet/devices", x -> x.body().contains("\"instance\":" + DEVICE),
                    WAIT);
            assertTrue(devices.body().contains("127.0.0.2:" + PORT), devices.body());
            String dp = datapoint("REAL");
            long binding = bind(dp, "analog-value", 0, 8, ", \"covIncrement\": 0");
            awaitStatus(binding, "COV");
            av0.writePropertyInternal(PropertyIdentifier.presentValue, new Real(64f));
            awaitValue(dp, x -> x.getJsonNumber("value") != null && x.getJsonNumber("value").doubleValue() == 64.0);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static void startDevice() throws Exception {
        device = BacnetStack.open(DEVICE, "it-device", "127.0.0.2", "127.255.255.255", PORT);
        var d = device.device();
        av0 = new AnalogValueObject(d, 0, "av0", 20f, EngineeringUnits.degreesCelsius, false)
                .supportCommandable(0f).supportCovReporting(0.5f);
        av1 = new AnalogValueObject(d, 1, "no-cov", 5f, EngineeringUnits.percent, false);
        bv0 = new BinaryValueObject(d, 0, "bv0", BinaryPV.inactive, false)
                .supportCommandable(BinaryPV.inactive).supportCovReporting();
        msv0 = new MultistateValueObject(d, 0, "msv0", 3, new BACnetArray<>(new CharacterString("off"),
                new CharacterString("low"), new CharacterString("high")), 1, false)
                .supportCommandable(new UnsignedInteger(1)).supportCovReporting();
        // Announce again now that the objects exist (initialize() announced the device before they did).
        d.sendGlobalBroadcast(d.getIAm());
    }

    static String network(int port, String broadcast) {
        return "{\"deviceInstance\": 260000, \"deviceName\": \"bms-it\", \"port\": " + port
                + ", \"bindAddress\": \"127.0.0.1\"" + (broadcast == null ? "" : ", \"broadcastAddress\": \""
                + broadcast + "\"") + "}";
    }

    static String binding(String dp, String type, int instance, int priority, String extra) {
        return "{\"datapoint\": \"" + dp + "\", \"deviceInstance\": " + DEVICE + ", \"objectType\": \"" + type
                + "\", \"objectInstance\": " + instance + ", \"writePriority\": " + priority + extra + "}";
    }

    long bind(String dp, String type, int instance, int priority, String extra) {
        Http.Response r = api().postJson("bacnet/bindings", binding(dp, type, instance, priority, extra));
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    String datapoint(String type) {
        String name = "bac-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response r = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"path\": \"it/bacnet/" + name
                + "\", \"dataType\": \"" + type + "\", \"accessMode\": \"READ_WRITE\"}");
        assertEquals(201, r.status(), r.body());
        return name;
    }

    void mqttBinding(String dp, String command, String report) {
        if (mosquitto == null) {
            mosquitto = Mosquitto.onFreePort(TestEnvironment.buildDir()).start();
        }
        if (brokerId == null) {
            String name = "bac-" + UUID.randomUUID().toString().substring(0, 8);
            Http.Response r = api().postJson("brokers", "{\"name\": \"" + name + "\", \"host\": \"127.0.0.1\", "
                    + "\"port\": " + mosquitto.port() + ", \"clientId\": \"" + name
                    + "\", \"reconnectIntervalSeconds\": 1}");
            assertEquals(201, r.status(), r.body());
            brokerId = r.json().getJsonNumber("id").longValue();
            api().await("brokers/" + brokerId + "/status", x -> x.status() == 200
                    && x.json().getString("state").equals("CONNECTED"), WAIT);
        }
        Http.Response r = api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + brokerId
                + ", \"commandTopic\": \"" + command + "\", \"reportTopic\": \"" + report + "\"}");
        assertEquals(201, r.status(), r.body());
    }

    JsonObject awaitStatus(long binding, String mode) {
        Http.Response r = api().await("bacnet/bindings/" + binding + "/status", x -> x.status() == 200
                && mode.equals(x.json().getString("mode")), WAIT);
        assertEquals(mode, r.json().getString("mode"), r.body());
        return r.json();
    }

    JsonObject awaitValue(String dp, Predicate<JsonObject> done) {
        Http.Response r = api().await("datapoints/" + dp + "/value", x -> x.status() == 200 && done.test(x.json()),
                WAIT);
        assertTrue(done.test(r.json()), r.body());
        return r.json();
    }

    static void awaitReport(MqttTestClient client, String payload) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            MqttTestClient.Received got = client.next(Duration.ofSeconds(1));
            if (got != null && got.payload().equals(payload)) {
                return;
            }
        }
        throw new AssertionError("no report " + payload);
    }

    /** Publishes the command until the device shows it (the command topic's subscription is made asynchronously). */
    static void commandUntil(MqttTestClient client, String topic, String payload, Check done) throws Exception {
        for (int i = 0; i < 30; i++) {
            client.publish(topic, payload, 1);
            for (int j = 0; j < 10; j++) {
                if (done.ok()) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("command '" + payload + "' on " + topic + " never reached the device");
    }

    static void awaitTrue(Check done, String what) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (done.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out: " + what);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static String priority(com.serotonin.bacnet4j.obj.BACnetObject o, int p) throws Exception {
        BACnetArray<?> array = o.readProperty(PropertyIdentifier.priorityArray);
        return array.getBase1(p).toString();
    }

    /** The server root: /health and /metrics are the server's own, outside the application. */
    Http server() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + "/"));
    }

    JsonObject awaitCheck(Predicate<JsonObject> done) {
        Http.Response r = server().await("health/ready", x -> bacnetCheck(x).map(done::test).orElse(false), WAIT);
        return bacnetCheck(r).orElseThrow(() -> new AssertionError("no check bacnet in " + r.body()));
    }

    static java.util.Optional<JsonObject> bacnetCheck(Http.Response health) {
        if (!health.contentType().startsWith("application/json")) {
            return java.util.Optional.empty();
        }
        return health.json().getJsonArray("checks").stream().map(jakarta.json.JsonValue::asJsonObject)
                .filter(c -> "bacnet".equals(c.getString("name"))).findFirst();
    }

    /** An application gauge's value from the Prometheus text. */
    double metric(String name) {
        Http.Response r = server().get("metrics?scope=application");
        assertEquals(200, r.status(), r.body());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name + " in " + r.body());
    }

    static void assertField(Http.Response r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.body().contains("\"" + field + "\""), "field " + field + " not named: " + r.body());
    }

    static int freePort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
