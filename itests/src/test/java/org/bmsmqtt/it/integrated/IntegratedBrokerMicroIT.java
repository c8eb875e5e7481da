package org.bmsmqtt.it.integrated;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.api.AdminApiMicroIT;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.Secrets;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.TestCertificates;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The integrated MQTT broker inside Payara Micro, configured through the admin API and used by real MQTT clients:
 * settings and users with their validation, a taken port (status and health say why, the rest runs on), users and
 * permissions applied at run time, the internal connection of a broker definition, the TLS listener with a keystore
 * uploaded to the certificate folder, retained messages and a persistent session across a restart of the broker.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "micro-h2 only: the integrated broker's tables on PostgreSQL are covered by ConfigurationMicroIT there")
@ExtendWith(RequiredPeers.class)
class IntegratedBrokerMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    URL deployment = SharedMicro.deployment();

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    Http server() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + "/"));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stopTheBroker() {
        // the next test class finds it as the configuration keys say: not started at boot
        api().postJson("integrated-broker/stop", "");
        api().putJson("integrated-broker", "{\"startAtBoot\": false, \"port\": " + Peers.freePort() + "}");
    }

    /** Settings on a free port, started; returns the port. */
    int runOnFreePort(String extra) {
        int port = Peers.freePort();
        Http.Response put = api().putJson("integrated-broker", "{\"startAtBoot\": true, \"authentication\": true, "
                + "\"bindAddress\": \"127.0.0.1\", \"port\": " + port + extra + "}");
        assertEquals(200, put.status(), put.body());
        Http.Response started = api().postJson("integrated-broker/start", "");
        assertEquals(200, started.status(), started.body());
        JsonObject status = api().await("integrated-broker/status",
                r -> r.status() == 200 && r.json().getString("state").equals("RUNNING"), WAIT).json();
        assertEquals("RUNNING", status.getString("state"), status.toString());
        assertEquals(port, status.getInt("port"));
        return port;
    }

    String user(String publish, String subscribe, String password) {
        String name = unique("u");
        Secrets.register(password);
        Http.Response r = api().postJson("integrated-broker/users", "{\"username\": \"" + name + "\", \"password\": \""
                + password + "\", \"publish\": " + publish + ", \"subscribe\": " + subscribe + "}");
        assertEquals(201, r.status(), r.body());
        assertFalse(r.body().contains(password), "the password is never returned");
        return name;
    }

    /** The {@code integrated-broker} check of a health response. */
    static JsonObject healthCheck(Http.Response health) {
        return health.json().getJsonArray("checks").stream().map(jakarta.json.JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("integrated-broker")).findFirst()
                .orElseThrow(() -> new AssertionError("no integrated-broker check in " + health.body()));
    }

    static void assertProblem(Http.Response r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.json().getJsonArray("fields").stream()
                .anyMatch(f -> f.asJsonObject().getString("field").equals(field)), r.body());
    }

    static void assertRefused(String uri, String user, String password) {
        MqttException e = assertThrows(MqttException.class, () -> {
            MqttClient c = new MqttClient(uri, "it-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
            o.setConnectionTimeout(10);
            try {
                c.connect(o);
            } finally {
                c.close(true);
            }
        });
        assertTrue(e.getReasonCode() == 134 || e.getReasonCode() == 135, "refused: " + e.getReasonCode());
    }

    @Test
    void settings_and_users_are_validated_naming_the_field() {
        assertProblem(api().putJson("integrated-broker", "{\"port\": 70000}"), 400, "port");
        assertProblem(api().putJson("integrated-broker", "{\"port\": 1884, \"tlsPort\": 8883}"), 400, "tlsKeystoreFile");
        assertProblem(api().putJson("integrated-broker", "{\"bindAddress\": \"not an address!\"}"), 400, "bindAddress");
        assertProblem(api().postJson("integrated-broker/users", "{\"username\": \"x y\", \"password\": \"p\"}"), 400,
                "username");
        assertProblem(api().postJson("integrated-broker/users", "{\"username\": \"nopw\"}"), 400, "password");
        assertProblem(api().postJson("integrated-broker/users", "{\"username\": \"bad\", \"password\": \"p\", "
                + "\"publish\": [\"ok/#\", \"a/#/b\"]}"), 400, "publish[1]");
        String name = user("[]", "[]", "pw-" + UUID.randomUUID());
        assertProblem(api().postJson("integrated-broker/users", "{\"username\": \"" + name + "\", \"password\": \"p\"}"),
                409, "username");
        assertProblem(api().postJson("brokers", "{\"name\": \"" + unique("int") + "\", \"clientId\": \"x\", "
                + "\"internalUser\": \"nobody-" + UUID.randomUUID() + "\"}"), 400, "internalUser");
        Http.Response stale = api().send("PUT", "integrated-broker/users/" + name, "application/json",
                "{\"enabled\": false}".getBytes(StandardCharsets.UTF_8), "If-Match", "\"999\"");
        assertEquals(412, stale.status(), stale.body());
        assertEquals(204, api().delete("integrated-broker/users/" + name).status());
        assertEquals(404, api().get("integrated-broker/users/" + name).status());
    }

    @Test
    void a_taken_port_fails_with_the_reason_in_status_and_health_and_the_rest_runs_on() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(200, api().putJson("integrated-broker", "{\"port\": " + port + "}").status());
            api().postJson("integrated-broker/start", "");
            JsonObject status = api().get("integrated-broker/status").json();
            assertEquals("FAILED", status.getString("state"), status.toString());
            assertTrue(status.getString("reason").contains("port " + port + " on 127.0.0.1 is not available"),
                    status.toString());
            JsonObject check = healthCheck(server().get("health/ready"));
            assertEquals("DOWN", check.getString("status"), "readiness is DOWN while the broker cannot run: " + check);
            assertTrue(check.getJsonObject("data").getString("reason").contains("is not available"), check.toString());
            assertEquals(200, api().get("datapoints").status(), "the rest of the product runs on");
        }
        runOnFreePort("");
        JsonObject up = healthCheck(server().await("health/ready",
                r -> "UP".equals(healthCheck(r).getString("status")), WAIT));
        assertEquals("RUNNING", up.getJsonObject("data").getString("state"), up.toString());
    }

    @Test
    void users_and_permissions_apply_to_connected_clients_at_run_time() throws Exception {
        int port = runOnFreePort("");
        String uri = "tcp://127.0.0.1:" + port;
        String watcherPw = "w-" + UUID.randomUUID();
        String watcher = user("[]", "[\"#\"]", watcherPw);
        String sensorPw = "s-" + UUID.randomUUID();
        String sensor = user("[\"sensors/#\"]", "[]", sensorPw);
        assertRefused(uri, sensor, "wrong-password");

        try (MqttTestClient all = new MqttTestClient(uri, watcher, watcherPw);
             MqttTestClient s = new MqttTestClient(uri, sensor, sensorPw)) {
            all.subscribe("#", 1);
            s.publish("elsewhere/x", "no", 1);
            s.publish("sensors/hall", "21.5", 1);
            MqttTestClient.Received got = nextBesidesAvailability(all, WAIT);
            assertNotNull(got);
            assertEquals("sensors/hall", got.topic(), "the publication outside the permission was dropped");
            assertNull(nextBesidesAvailability(all, Duration.ofMillis(500)));

            JsonObject status = api().get("integrated-broker/status").json();
            assertTrue(status.getInt("connectedClients") >= 2, status.toString());
            assertTrue(status.getJsonNumber("messagesIn").longValue() >= 1, status.toString());
            assertTrue(status.getJsonNumber("messagesOut").longValue() >= 1, status.toString());
            String metrics = server().get("metrics").body();
            for (String gauge : new String[]{"bms_integrated_clients", "bms_integrated_messages_in",
                    "bms_integrated_messages_out", "bms_integrated_running"}) {
                assertTrue(metrics.contains(gauge), gauge + " in /metrics");
            }

            Http.Response off = api().putJson("integrated-broker/users/" + sensor, "{\"enabled\": false, "
                    + "\"publish\": [\"sensors/#\"]}");
            assertEquals(200, off.status(), off.body());
            assertFalse(off.json().getBoolean("enabled"));
        }
        assertRefused(uri, sensor, sensorPw);
        assertEquals(200, api().putJson("integrated-broker/users/" + sensor, "{\"enabled\": true, \"password\": \""
                + "new-" + sensorPw + "\", \"publish\": [\"sensors/#\"]}").status());
        Secrets.register("new-" + sensorPw);
        assertRefused(uri, sensor, sensorPw);
        new MqttTestClient(uri, sensor, "new-" + sensorPw).close();
    }

    @Test
    void the_internal_connection_reaches_the_integrated_broker_as_one_of_its_users() {
        int port = runOnFreePort("");
        String uri = "tcp://127.0.0.1:" + port;
        String internal = user("[\"#\"]", "[\"#\"]", "i-" + UUID.randomUUID());
        String devicePw = "d-" + UUID.randomUUID();
        String device = user("[\"home/+/set\"]", "[\"home/#\"]", devicePw);

        String name = unique("internal");
        Http.Response b = api().postJson("brokers", "{\"name\": \"" + name + "\", \"clientId\": \"" + name + "\", "
                + "\"internalUser\": \"" + internal + "\", \"reconnectIntervalSeconds\": 1}");
        assertEquals(201, b.status(), b.body());
        assertEquals(internal, b.json().getString("internalUser"));
        long broker = b.json().getJsonNumber("id").longValue();
        api().await("brokers/" + broker + "/status",
                r -> r.status() == 200 && r.json().getString("state").equals("CONNECTED"), WAIT);

        String dp = unique("dp");
        assertEquals(201, api().postJson("datapoints", "{\"name\": \"" + dp + "\", \"path\": \"it/int/" + dp
                + "\", \"dataType\": \"REAL\"}").status());
        assertEquals(201, api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + broker
                + ", \"commandTopic\": \"home/" + dp + "/set\", \"reportTopic\": \"home/" + dp + "/state\"}").status());

        try (MqttTestClient d = new MqttTestClient(uri, device, devicePw)) {
            d.subscribe("home/" + dp + "/state", 1);
            Http.Response deadline = api().await("datapoints/" + dp + "/value", r -> {
                d.publish("home/" + dp + "/set", "22.5", 1); // until the engine's subscription is in place
                return r.status() == 200 && Http.present(r.json(), "value");
            }, WAIT);
            assertEquals(22.5, deadline.json().getJsonNumber("value").doubleValue(), deadline.body());

            assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 19.0}").status());
            MqttTestClient.Received report = d.next(WAIT);
            while (report != null && !report.payload().equals("19.0")) {
                report = d.next(WAIT);
            }
            assertNotNull(report, "the API write reached the report topic on the integrated broker");
        }
        Http.Response inUse = api().delete("integrated-broker/users/" + internal);
        assertEquals(409, inUse.status(), "a user the internal connection uses stays: " + inUse.body());

        // the integrated broker moves to another port: the internal connection follows
        int moved = runOnFreePort("");
        assertTrue(moved != port);
        api().await("brokers/" + broker + "/status",
                r -> r.status() == 200 && r.json().getString("state").equals("CONNECTED"), WAIT);
        assertEquals(204, api().delete("brokers/" + broker).status());
        assertEquals(204, api().delete("integrated-broker/users/" + internal).status());
    }

    @Test
    void settings_and_users_go_out_and_back_in_through_the_configuration_document() throws Exception {
        int port = runOnFreePort("");
        String uri = "tcp://127.0.0.1:" + port;
        String keptPw = "k-" + UUID.randomUUID();
        String kept = user("[\"a/#\"]", "[\"a/#\"]", keptPw);

        JsonObject out = api().get("configuration").json().getJsonObject("integratedBroker");
        assertEquals(port, out.getJsonObject("settings").getInt("port"), out.toString());
        JsonObject keptOut = userIn(out, kept);
        assertEquals("[\"a/#\"]", keptOut.getJsonArray("publish").toString(), keptOut.toString());
        assertFalse(keptOut.containsKey("password"), "no password leaves the server: " + keptOut);
        assertFalse(out.toString().contains("version"), "versions are the API's, not the document's: " + out);

        // merge: a new user with its password, the kept one changed without a password (it keeps its own)
        String freshPw = "f-" + UUID.randomUUID();
        Secrets.register(freshPw);
        String fresh = unique("u");
        Http.Response merged = api().postJson("configuration", "{\"integratedBroker\": {\"users\": ["
                + "{\"username\": \"" + kept + "\", \"publish\": [\"b/#\"], \"subscribe\": [\"#\"]}, "
                + "{\"username\": \"" + fresh + "\", \"password\": \"" + freshPw + "\", \"publish\": [\"#\"], "
                + "\"subscribe\": [\"#\"]}]}}");
        assertEquals(200, merged.status(), merged.body());
        assertEquals(1, merged.json().getInt("brokerUsersCreated"), merged.body());
        assertEquals(1, merged.json().getInt("brokerUsersUpdated"), merged.body());
        assertEquals(0, merged.json().getInt("brokerUsersDeleted"), merged.body());
        assertFalse(merged.json().getBoolean("integratedBrokerApplied"), merged.body());
        assertEquals("[\"b/#\"]", api().get("integrated-broker/users/" + kept).json().getJsonArray("publish")
                .toString());
        new MqttTestClient(uri, fresh, freshPw).close(); // applied to the running broker
        new MqttTestClient(uri, kept, keptPw).close();

        // invalid documents name the entry and change nothing
        String nopw = unique("nopw");
        assertProblem(api().postJson("configuration", "{\"integratedBroker\": {\"users\": [{\"username\": \""
                + nopw + "\"}]}}"), 400, "integratedBroker.users[0].password");
        String broker = unique("int");
        assertProblem(api().postJson("configuration", "{\"brokers\": [{\"name\": \"" + broker + "\", \"clientId\": \""
                + broker + "\", \"internalUser\": \"nobody-" + UUID.randomUUID() + "\"}], \"integratedBroker\": "
                + "{\"users\": [{\"username\": \"" + nopw + "\", \"password\": \"x\"}]}}"), 400,
                "brokers[0].internalUser");
        assertProblem(api().postJson("configuration", "{\"integratedBroker\": {\"settings\": {\"port\": 70000}}}"),
                400, "integratedBroker.settings.port");
        assertEquals(404, api().get("integrated-broker/users/" + nopw).status());
        assertFalse(api().get("brokers").body().contains(broker));

        // settings through the document: the running broker moves; the same document again changes nothing
        int moved = Peers.freePort();
        String settings = "{\"integratedBroker\": {\"settings\": {\"startAtBoot\": true, \"port\": " + moved + "}}}";
        Http.Response applied = api().postJson("configuration", settings);
        assertEquals(200, applied.status(), applied.body());
        assertTrue(applied.json().getBoolean("integratedBrokerApplied"), applied.body());
        api().await("integrated-broker/status", r -> r.status() == 200 && r.json().getInt("port") == moved
                && r.json().getString("state").equals("RUNNING"), WAIT);
        new MqttTestClient("tcp://127.0.0.1:" + moved, fresh, freshPw).close();
        Http.Response again = api().postJson("configuration", settings);
        assertFalse(again.json().getBoolean("integratedBrokerApplied"), again.body());

        // replace: the whole export without the fresh user deletes that user only
        JsonObject all = api().get("configuration").json();
        JsonObject ib = all.getJsonObject("integratedBroker");
        jakarta.json.JsonArrayBuilder others = jakarta.json.Json.createArrayBuilder();
        ib.getJsonArray("users").stream().map(jakarta.json.JsonValue::asJsonObject)
                .filter(u -> !u.getString("username").equals(fresh)).forEach(others::add);
        JsonObject doc = jakarta.json.Json.createObjectBuilder(all).add("integratedBroker",
                jakarta.json.Json.createObjectBuilder(ib).add("users", others)).build();
        Http.Response replaced = api().postJson("configuration?mode=replace", doc.toString());
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals(1, replaced.json().getInt("brokerUsersDeleted"), replaced.body());
        assertEquals(0, replaced.json().getInt("brokerUsersUpdated"), replaced.body());
        assertEquals(0, replaced.json().getInt("brokersDeleted"), replaced.body());
        assertEquals(404, api().get("integrated-broker/users/" + fresh).status());
        assertRefused("tcp://127.0.0.1:" + moved, fresh, freshPw);
        new MqttTestClient("tcp://127.0.0.1:" + moved, kept, keptPw).close();
    }

    static JsonObject userIn(JsonObject integratedBroker, String username) {
        return integratedBroker.getJsonArray("users").stream().map(jakarta.json.JsonValue::asJsonObject)
                .filter(u -> u.getString("username").equals(username)).findFirst()
                .orElseThrow(() -> new AssertionError("no user " + username + " in " + integratedBroker));
    }

    @Test
    void the_tls_listener_serves_a_keystore_from_the_certificate_folder() throws Exception {
        var ca = TestCertificates.ca(unique("integrated CA"));
        var serverCert = TestCertificates.server(ca, "127.0.0.1", "localhost");
        Path dir = TestEnvironment.buildDir().resolve(unique("integrated-tls"));
        String storePw = "store-" + UUID.randomUUID();
        Secrets.register(storePw);
        byte[] p12 = Files.readAllBytes(TestCertificates.writePkcs12(dir.resolve("broker.p12"), serverCert, storePw));
        String file = unique("broker") + ".p12";
        Http.Response up = api().send("POST", "certificates", "multipart/form-data; boundary=XyZ",
                AdminApiMicroIT.multipart("XyZ", file, p12, storePw));
        assertEquals(201, up.status(), up.body());

        int tlsPort = Peers.freePort();
        runOnFreePort(", \"tlsPort\": " + tlsPort + ", \"tlsKeystoreFile\": \"" + file + "\", \"tlsKeystorePassword\": \""
                + storePw + "\"");
        JsonObject settings = api().get("integrated-broker").json();
        assertTrue(settings.getBoolean("tlsKeystorePasswordSet"));
        assertFalse(settings.toString().contains(storePw));

        String pw = "t-" + UUID.randomUUID();
        String u = user("[\"#\"]", "[\"#\"]", pw);
        MqttClient c = new MqttClient("ssl://127.0.0.1:" + tlsPort, "it-tls", new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(u);
        o.setPassword(pw.getBytes(StandardCharsets.UTF_8));
        o.setSocketFactory(TestCertificates.trusting(ca.certificate()));
        o.setHttpsHostnameVerificationEnabled(false);
        c.connect(o);
        assertTrue(c.isConnected());
        c.disconnect();
        c.close();
    }

    @Test
    void retained_messages_and_persistent_sessions_survive_a_restart_of_the_broker() throws Exception {
        int port = runOnFreePort("");
        String uri = "tcp://127.0.0.1:" + port;
        String pw = "p-" + UUID.randomUUID();
        String u = user("[\"#\"]", "[\"#\"]", pw);
        String topic = unique("state") + "/door";
        try (MqttTestClient pub = new MqttTestClient(uri, u, pw)) {
            pub.publishRetained(topic, "open", 1);
        }
        MqttClient durable = new MqttClient(uri, "it-durable-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(u);
        o.setPassword(pw.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        durable.connect(o);
        durable.subscribe(topic + "/cmd", 1);
        durable.disconnect();
        try (MqttTestClient pub = new MqttTestClient(uri, u, pw)) {
            pub.publish(topic + "/cmd", "close", 1); // queued for the offline session
        }

        Http.Response applied = api().postJson("integrated-broker/apply", "");
        assertEquals("RUNNING", applied.json().getString("state"), applied.body());

        try (MqttTestClient later = new MqttTestClient(uri, u, pw)) {
            later.subscribe(topic, 1);
            MqttTestClient.Received retained = later.next(WAIT);
            assertNotNull(retained, "the retained message survived the restart");
            assertEquals("open", retained.payload());
        }
        java.util.concurrent.BlockingQueue<String> queued = new java.util.concurrent.LinkedBlockingQueue<>();
        durable.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) { }
            public void mqttErrorOccurred(MqttException e) { }
            public void messageArrived(String t, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                queued.add(t + "=" + new String(m.getPayload(), StandardCharsets.UTF_8));
            }
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) { }
            public void connectComplete(boolean r, String s) { }
            public void authPacketArrived(int c, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) { }
        });
        durable.connect(o);
        assertEquals(topic + "/cmd=close", queued.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                "the message queued for the persistent session survived the restart");
        durable.disconnect();
        durable.close();
    }

    /**
     * The next message on "#" that is not a broker session's availability (an internal connection's birth or will on
     * {@code <path>/status}, retained: it may be there from an earlier test of this deployment).
     */
    private static MqttTestClient.Received nextBesidesAvailability(MqttTestClient client, Duration timeout) {
        MqttTestClient.Received r = client.next(timeout);
        for (int i = 0; i < 100 && r != null && r.topic().endsWith("/status"); i++) {
            r = client.next(timeout);
        }
        return r;
    }
}
