package org.bmsmqtt.it.api;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.Secrets;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
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
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration export and import (GET / POST /configuration) on Payara Micro: a round trip through export, delete
 * and import gives the same document; the imported configuration works against a mosquitto that checks the broker's
 * password; secrets never come out; an invalid document changes nothing and names the field; mode=replace deletes
 * what the document leaves out; 10,000 datapoints in one document (times printed, never asserted).
 */
@ExtendWith(RequiredPeers.class)
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-.*",
        disabledReason = "runs in the micro-h2 and micro-postgres executions (-Dit.test reaches every execution)")
class ConfigurationMicroIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<Mosquitto> brokers = new ArrayList<>();

    URL deployment = SharedMicro.deployment();

    @AfterAll
    static void stopBrokers() {
        brokers.forEach(Mosquitto::stop);
    }

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A mosquitto whose first listener wants user "bms" with {@code password}, the second (devices) anonymous. */
    static Mosquitto[] passwordMosquitto(String password) throws IOException, InterruptedException {
        int secure = Peers.freePort();
        int open = Peers.freePort();
        Path dir = TestEnvironment.buildDir().resolve("mosquitto-" + secure);
        Files.createDirectories(dir);
        Path passwd = dir.resolve("passwd");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwd.toString(), "bms", password)
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), "mosquitto_passwd failed");
        Mosquitto m = new Mosquitto(secure, dir).withConfig(true, "per_listener_settings true",
                "listener " + secure + " 127.0.0.1", "allow_anonymous false", "password_file " + passwd,
                "listener " + open + " 127.0.0.1", "allow_anonymous true").start();
        brokers.add(m);
        return new Mosquitto[] {m, new Mosquitto(open, dir)};
    }

    // --- the document ------------------------------------------------------------------------------------------

    /** The document's entries whose name starts with {@code prefix}, as a document of their own (no exportedAt). */
    static JsonObject only(JsonObject doc, String prefix) {
        JsonObject knx = doc.getJsonObject("knx");
        JsonArrayBuilder knxBindings = Json.createArrayBuilder();
        knx.getJsonArray("bindings").stream().map(JsonValue::asJsonObject)
                .filter(b -> b.getString("datapoint").startsWith(prefix)).forEach(knxBindings::add);
        return Json.createObjectBuilder()
                .add("formatVersion", doc.getInt("formatVersion"))
                .add("brokers", filter(doc.getJsonArray("brokers"), prefix))
                .add("datapoints", filter(doc.getJsonArray("datapoints"), prefix))
                .add("knx", Json.createObjectBuilder().add("connections", filter(knx.getJsonArray("connections"), prefix))
                        .add("bindings", knxBindings)).build();
    }

    static JsonArray filter(JsonArray entries, String prefix) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        entries.stream().map(JsonValue::asJsonObject).filter(e -> e.getString("name").startsWith(prefix)).forEach(b::add);
        return b.build();
    }

    /** {@code doc} with {@code field} set to {@code value} in the broker named {@code broker}. */
    static JsonObject withBrokerField(JsonObject doc, String broker, String field, String value) {
        JsonArrayBuilder brokersOut = Json.createArrayBuilder();
        for (JsonValue v : doc.getJsonArray("brokers")) {
            JsonObject o = v.asJsonObject();
            brokersOut.add(o.getString("name").equals(broker) ? Json.createObjectBuilder(o).add(field, value) : Json.createObjectBuilder(o));
        }
        return Json.createObjectBuilder(doc).add("brokers", brokersOut).build();
    }

    long brokerId(String name) {
        return api().get("brokers").json(JsonArray.class).stream().map(JsonValue::asJsonObject)
                .filter(b -> b.getString("name").equals(name)).findFirst().orElseThrow()
                .getJsonNumber("id").longValue();
    }

    void awaitConnected(String broker) {
        Http.Response s = api().await("brokers/" + brokerId(broker) + "/status",
                x -> x.status() == 200 && x.json().getString("state").equals("CONNECTED"), WAIT);
        assertEquals("CONNECTED", s.json().getString("state"), s.body());
    }

    /** Publishes until the value shows on the datapoint (the subscription follows the import after commit). */
    void commandUntilAccepted(String deviceUri, String topic, String payload, String dp, String expected) {
        long end = System.nanoTime() + WAIT.toNanos();
        try (MqttTestClient device = new MqttTestClient(deviceUri)) {
            while (System.nanoTime() < end) {
                device.publish(topic, payload, 1);
                Http.Response r = api().await("datapoints/" + dp + "/value",
                        x -> x.status() == 200 && Http.present(x.json(), "value")
                                && x.json().get("value").toString().equals(expected), Duration.ofSeconds(1));
                if (Http.present(r.json(), "value") && r.json().get("value").toString().equals(expected)) {
                    return;
                }
            }
        }
        throw new AssertionError("no command on " + topic + " reached " + dp);
    }

    static void assertProblem(Http.Response r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(field, r.json().getJsonArray("fields").getJsonObject(0).getString("field"), r.body());
    }

    void post(String path, String json) {
        Http.Response r = api().postJson(path, json);
        assertEquals(201, r.status(), r.body());
    }

    // --- tests -------------------------------------------------------------------------------------------------

    @Test
    void export_delete_import_gives_the_same_configuration_which_works_and_no_secret_comes_out() throws Exception {
        String p = unique("cfg-");
        String password = Secrets.register("broker-pw-" + UUID.randomUUID());
        String keyPassword = Secrets.register("key-pw-" + UUID.randomUUID());
        Mosquitto[] m = passwordMosquitto(password);
        post("brokers", "{\"name\": \"" + p + "-a\", \"path\": \"sites/" + p + "/a\", \"host\": \"127.0.0.1\", \"port\": "
                + m[0].port() + ", \"clientId\": \"" + p + "-a\", \"username\": \"bms\", \"password\": \"" + password
                + "\", \"reconnectIntervalSeconds\": 1, \"antiEchoMillis\": 2000}");
        post("brokers", "{\"name\": \"" + p + "-b\", \"host\": \"127.0.0.1\", \"port\": " + Peers.freePort()
                + ", \"clientId\": \"" + p + "-b\", \"username\": \"other\", \"password\": \"" + password
                + "\", \"keyPassword\": \"" + keyPassword + "\", \"enabled\": false, \"tlsVersions\": [\"TLSv1.3\"]}");
        post("datapoints", "{\"name\": \"" + p + "-temp\", \"path\": \"" + p + "/floor1/temp\", \"dataType\": \"REAL\", "
                + "\"unit\": \"°C\", \"historical\": true, \"description\": \"room 1\"}");
        post("datapoints/" + p + "-temp/bindings", "{\"brokerId\": " + brokerId(p + "-a") + ", \"commandTopic\": \""
                + p + "/temp/set\", \"reportTopic\": \"" + p + "/temp/state\", \"qos\": 1}");
        post("datapoints/" + p + "-temp/bindings", "{\"brokerId\": " + brokerId(p + "-b") + ", \"reportTopic\": \""
                + p + "/temp\", \"qos\": 0, \"retained\": true, \"payloadFormat\": \"JSON\", \"jsonPointer\": \"/v\"}");
        post("datapoints", "{\"name\": \"" + p + "-mode\", \"dataType\": \"STRING\", \"accessMode\": \"WRITE\", "
                + "\"persistent\": false, \"backupSync\": true}");
        post("datapoints/" + p + "-mode/bindings", "{\"brokerId\": " + brokerId(p + "-a") + ", \"commandTopic\": \""
                + p + "/mode/set\", \"qos\": 2}");
        post("datapoints", "{\"name\": \"" + p + "-virtual\", \"dataType\": \"BOOLEAN\", \"accessMode\": \"READ\"}");
        // KNX: a connection (stopped: no interface behind it) and a binding of the temperature to it.
        Http.Response knx = api().postJson("knx/connections", "{\"name\": \"" + p + "-knx\", \"type\": \"TUNNELING_TCP\", "
                + "\"host\": \"127.0.0.1\", \"port\": " + Peers.freePort() + ", \"enabled\": false, \"antiEchoMillis\": 500}");
        assertEquals(201, knx.status(), knx.body());
        post("knx/bindings", "{\"datapoint\": \"" + p + "-temp\", \"connectionId\": " + knx.json().getJsonNumber("id")
                + ", \"writeAddress\": \"1/2/3\", \"listenAddresses\": [\"1/2/4\", \"2/515\"], \"dpt\": \"9.001\", "
                + "\"readAtStart\": true, \"answerReads\": true}");

        Http.Response exported = api().get("configuration");
        assertEquals(200, exported.status(), exported.body());
        assertFalse(exported.body().contains(password) || exported.body().contains(keyPassword), "a secret in the export");
        JsonObject first = only(exported.json(), p);
        assertEquals(1, first.getInt("formatVersion"));
        assertTrue(exported.json().containsKey("exportedAt"));
        assertEquals(2, first.getJsonArray("brokers").size(), first.toString());
        assertEquals(3, first.getJsonArray("datapoints").size(), first.toString());
        JsonObject brokerB = first.getJsonArray("brokers").getJsonObject(1);
        assertTrue(brokerB.getBoolean("passwordSet") && brokerB.getBoolean("keyPasswordSet"), brokerB.toString());
        assertFalse(brokerB.containsKey("password") || brokerB.containsKey("keyPassword") || brokerB.containsKey("id"));
        JsonObject temp = first.getJsonArray("datapoints").getJsonObject(1);
        assertEquals(p + "-temp", temp.getString("name"));
        assertEquals(p + "-a", temp.getJsonArray("bindings").getJsonObject(0).getString("broker"), temp.toString());
        JsonObject knxBinding = first.getJsonObject("knx").getJsonArray("bindings").getJsonObject(0);
        assertEquals(p + "-knx", knxBinding.getString("connection"), first.toString());
        assertEquals(p + "-temp", knxBinding.getString("datapoint"), first.toString());
        assertEquals("2/515", knxBinding.getJsonArray("listenAddresses").getString(1), first.toString());
        assertTrue(knxBinding.getBoolean("answerReads"), first.toString());

        for (String dp : List.of("-temp", "-mode", "-virtual")) {
            assertEquals(204, api().delete("datapoints/" + p + dp).status());
        }
        for (String b : List.of("-a", "-b")) {
            assertEquals(204, api().delete("brokers/" + brokerId(p + b)).status());
        }
        assertEquals(204, api().delete("knx/connections/" + knx.json().getJsonNumber("id")).status());
        assertEquals(0, only(api().get("configuration").json(), p).getJsonArray("datapoints").size());
        assertEquals(0, only(api().get("configuration").json(), p).getJsonObject("knx").getJsonArray("connections").size());

        // New brokers need their secrets: the export has none, so the operator puts them back.
        JsonObject doc = withBrokerField(withBrokerField(first, p + "-a", "password", password), p + "-b", "password",
                password);
        doc = withBrokerField(doc, p + "-b", "keyPassword", keyPassword);
        Http.Response imported = api().postJson("configuration", doc.toString());
        assertEquals(200, imported.status(), imported.body());
        assertEquals(2, imported.json().getInt("brokersCreated"), imported.body());
        assertEquals(3, imported.json().getInt("datapointsCreated"), imported.body());
        assertEquals(3, imported.json().getInt("bindings"), imported.body());
        assertEquals(1, imported.json().getInt("knxConnectionsApplied"), imported.body());
        assertEquals(1, imported.json().getInt("knxBindings"), imported.body());

        Http.Response again = api().get("configuration");
        assertEquals(first, only(again.json(), p), "export, delete, import, export: the same document");
        assertFalse(again.body().contains(password) || again.body().contains(keyPassword), "a secret in the export");

        // It works: the broker connects with the imported password, a command on an imported topic is executed.
        awaitConnected(p + "-a");
        commandUntilAccepted(m[1].uri(), p + "/temp/set", "21.5", p + "-temp", "21.5");

        // Importing the export as it is (no secrets) keeps the stored ones and changes nothing.
        Http.Response same = api().postJson("configuration", only(again.json(), p).toString());
        assertEquals(200, same.status(), same.body());
        assertEquals(2, same.json().getInt("brokersUnchanged"), same.body());
        assertEquals(0, same.json().getInt("datapointsUpdated"), same.body());
        assertEquals(0, same.json().getInt("knxConnectionsApplied"), same.body());
        assertEquals(first, only(api().get("configuration").json(), p));
        awaitConnected(p + "-a");
        commandUntilAccepted(m[1].uri(), p + "/temp/set", "22.5", p + "-temp", "22.5");
    }

    @Test
    void an_invalid_document_changes_nothing_and_names_the_entry_and_field() {
        String p = unique("bad-");
        JsonObjectBuilder broker = Json.createObjectBuilder().add("name", p + "-broker").add("host", "127.0.0.1")
                .add("port", Peers.freePort()).add("clientId", p).add("enabled", false);
        JsonArrayBuilder dps = Json.createArrayBuilder();
        for (int i = 0; i < 13; i++) {
            dps.add(Json.createObjectBuilder().add("name", p + "-" + i).add("dataType", "REAL")
                    .add("bindings", Json.createArrayBuilder().add(Json.createObjectBuilder().add("broker", p + "-broker")
                            .add("commandTopic", i == 12 ? p + "/+/set" : p + "/" + i + "/set"))));
        }
        JsonObject doc = Json.createObjectBuilder().add("formatVersion", 1).add("brokers", Json.createArrayBuilder().add(broker))
                .add("datapoints", dps).build();
        assertProblem(api().postJson("configuration", doc.toString()), 400, "datapoints[12].bindings[0].commandTopic");
        assertEquals(404, api().get("datapoints/" + p + "-0").status(), "nothing of the document was applied");
        assertEquals(0, only(api().get("configuration").json(), p).getJsonArray("brokers").size());

        String base = doc.toString().replace(p + "/+/set", p + "/12/set");
        assertProblem(api().postJson("configuration", base.replace("\"broker\":\"" + p + "-broker\",\"commandTopic\":\""
                + p + "/3/set\"", "\"broker\":\"nowhere\",\"commandTopic\":\"" + p + "/3/set\"")), 400,
                "datapoints[3].bindings[0].broker");
        assertProblem(api().postJson("configuration", base.replace("\"name\":\"" + p + "-5\",\"dataType\":\"REAL\"",
                "\"name\":\"" + p + "-5\",\"dataType\":\"DECIMAL\"")), 400, "datapoints[5].dataType");
        assertProblem(api().postJson("configuration", base.replace("\"name\":\"" + p + "-7\"", "\"name\":\"" + p + "-6\"")),
                400, "datapoints[7].name");
        assertProblem(api().postJson("configuration", base.replace("\"port\":", "\"port\":7000000,\"x\":")), 400,
                "brokers[0].port");
        assertProblem(api().postJson("configuration", base.replace("\"formatVersion\":1", "\"formatVersion\":2")), 400,
                "formatVersion");
        assertProblem(api().postJson("configuration?mode=wipe", base), 400, "mode");
        String withKnx = base.substring(0, base.length() - 1) + ",\"knx\":{\"connections\":[{\"name\":\"" + p
                + "-knx\",\"host\":\"127.0.0.1\",\"enabled\":false}],\"bindings\":[{\"datapoint\":\"" + p
                + "-2\",\"connection\":\"" + p + "-knx\",\"writeAddress\":\"1/2/3\",\"dpt\":\"DPTX\"}]}}";
        assertProblem(api().postJson("configuration", withKnx.replace("DPTX", "1.001")), 400, "knx.bindings[0].dpt");
        assertProblem(api().postJson("configuration", withKnx.replace("DPTX", "9.001").replace("1/2/3", "1/8/0")), 400,
                "knx.bindings[0].writeAddress");
        assertProblem(api().postJson("configuration", withKnx.replace("DPTX", "9.001").replace("\"connection\":\"" + p,
                "\"connection\":\"x" + p)), 400, "knx.bindings[0].connection");
        assertEquals(404, api().get("datapoints/" + p + "-0").status(), "nothing of the documents was applied");

        Http.Response ok = api().postJson("configuration", base);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(13, ok.json().getInt("datapointsCreated"), ok.body());
    }

    @Test
    void bacnet_bindings_go_out_and_back_in_and_bad_ones_name_the_entry() {
        String p = unique("bac-");
        post("datapoints", "{\"name\": \"" + p + "-supply\", \"dataType\": \"REAL\", \"accessMode\": \"READ_WRITE\"}");
        post("datapoints", "{\"name\": \"" + p + "-fan\", \"dataType\": \"BOOLEAN\"}");
        post("bacnet/bindings", "{\"datapoint\": \"" + p + "-supply\", \"deviceInstance\": 4711, \"objectType\": "
                + "\"analog-value\", \"objectInstance\": 3, \"writePriority\": 9, \"covIncrement\": 0.25, "
                + "\"covConfirmed\": true}");
        post("bacnet/bindings", "{\"datapoint\": \"" + p + "-fan\", \"deviceInstance\": 4711, \"objectType\": "
                + "\"binaryInput\", \"objectInstance\": 1, \"cov\": false, \"pollSeconds\": 15}");
        JsonObject first = bacnetOnly(api().get("configuration").json(), p);
        JsonArray bindings = first.getJsonObject("bacnet").getJsonArray("bindings");
        assertEquals(2, bindings.size(), first.toString());
        JsonObject fan = bindings.getJsonObject(0);
        assertEquals(p + "-fan", fan.getString("datapoint"), first.toString());
        assertEquals("binary-input", fan.getString("objectType"), first.toString());
        assertEquals(15, fan.getInt("pollSeconds"), first.toString());
        JsonObject supply = bindings.getJsonObject(1);
        assertEquals(9, supply.getInt("writePriority"), first.toString());
        assertEquals(0.25, supply.getJsonNumber("covIncrement").doubleValue(), first.toString());
        assertTrue(supply.getBoolean("covConfirmed"), first.toString());
        assertEquals("present-value", supply.getString("property"), first.toString());

        for (String dp : List.of("-supply", "-fan")) {
            assertEquals(204, api().delete("datapoints/" + p + dp).status()); // the binding goes with it
        }
        assertEquals(0, bacnetOnly(api().get("configuration").json(), p).getJsonObject("bacnet")
                .getJsonArray("bindings").size());
        Http.Response imported = api().postJson("configuration", first.toString());
        assertEquals(200, imported.status(), imported.body());
        assertEquals(2, imported.json().getInt("bacnetBindings"), imported.body());
        assertFalse(imported.json().getBoolean("bacnetNetworkApplied"), "no network in the document: left alone");
        assertEquals(first, bacnetOnly(api().get("configuration").json(), p), "export, delete, import, export");

        // A binding that does not fit, a priority out of range, a datapoint bound twice, a bad network: 400 naming
        // the entry, and nothing of the document applied (the datapoint's type change is rolled back too).
        String doc = first.toString();
        String typeChanged = doc.replace("\"dataType\":\"REAL\"", "\"dataType\":\"BOOLEAN\"");
        assertProblem(api().postJson("configuration", typeChanged), 400, "bacnet.bindings[1].objectType");
        assertEquals("REAL", api().get("datapoints/" + p + "-supply").json().getString("dataType"));
        assertProblem(api().postJson("configuration", doc.replace("\"writePriority\":9", "\"writePriority\":17")),
                400, "bacnet.bindings[1].writePriority");
        assertProblem(api().postJson("configuration", doc.replace("\"datapoint\":\"" + p + "-fan\"",
                "\"datapoint\":\"" + p + "-supply\"").replace("\"objectType\":\"binary-input\"",
                "\"objectType\":\"analog-input\"")), 400, "bacnet.bindings[1].datapoint");
        assertProblem(api().postJson("configuration", doc.replace("\"bacnet\":{", "\"bacnet\":{\"network\":"
                + "{\"deviceInstance\":1,\"deviceName\":\"x\",\"broadcastAddress\":\"everywhere\"},")), 400,
                "bacnet.network.broadcastAddress");
        assertEquals(first, bacnetOnly(api().get("configuration").json(), p), "nothing of the bad documents applied");
    }

    /** The document's datapoints and BACnet bindings of this test only (no network: an import leaves it alone). */
    static JsonObject bacnetOnly(JsonObject doc, String prefix) {
        JsonArrayBuilder bindings = Json.createArrayBuilder();
        doc.getJsonObject("bacnet").getJsonArray("bindings").stream().map(JsonValue::asJsonObject)
                .filter(b -> b.getString("datapoint").startsWith(prefix)).forEach(bindings::add);
        return Json.createObjectBuilder().add("formatVersion", doc.getInt("formatVersion"))
                .add("datapoints", filter(doc.getJsonArray("datapoints"), prefix))
                .add("bacnet", Json.createObjectBuilder().add("bindings", bindings)).build();
    }

    @Test
    void integrated_broker_users_go_out_without_passwords_and_back_in() {
        String user = unique("cfg-user-");
        String pw = "pw-" + UUID.randomUUID();
        Secrets.register(pw);
        String doc = "{\"integratedBroker\": {\"users\": [{\"username\": \"" + user + "\", \"password\": \"" + pw
                + "\", \"publish\": [\"x/#\"], \"subscribe\": [\"x/#\"]}]}}";
        Http.Response created = api().postJson("configuration", doc);
        assertEquals(200, created.status(), created.body());
        assertEquals(1, created.json().getInt("brokerUsersCreated"), created.body());
        JsonObject out = api().get("configuration").json().getJsonObject("integratedBroker");
        JsonObject entry = out.getJsonArray("users").stream().map(JsonValue::asJsonObject)
                .filter(u -> u.getString("username").equals(user)).findFirst().orElseThrow();
        assertFalse(entry.containsKey("password"), entry.toString());
        assertEquals("x/#", entry.getJsonArray("publish").getString(0), entry.toString());

        Http.Response again = api().postJson("configuration", "{\"integratedBroker\": {\"users\": [" + entry + "]}}");
        assertEquals(200, again.status(), again.body());
        assertEquals(0, again.json().getInt("brokerUsersCreated") + again.json().getInt("brokerUsersUpdated"),
                "the exported user unchanged: " + again.body());
        assertEquals(204, api().delete("integrated-broker/users/" + user).status());
        assertProblem(api().postJson("configuration", "{\"integratedBroker\": {\"users\": [" + entry + "]}}"), 400,
                "integratedBroker.users[0].password");
    }

    @Test
    void mode_replace_deletes_what_the_document_leaves_out() {
        String p = unique("rep-");
        post("datapoints", "{\"name\": \"" + p + "-keep\", \"dataType\": \"REAL\"}");
        post("datapoints", "{\"name\": \"" + p + "-drop\", \"dataType\": \"REAL\"}");
        JsonObject all = api().get("configuration").json();
        JsonArrayBuilder kept = Json.createArrayBuilder();
        all.getJsonArray("datapoints").stream().map(JsonValue::asJsonObject)
                .filter(d -> !d.getString("name").equals(p + "-drop")).forEach(kept::add);
        JsonObject doc = Json.createObjectBuilder(all).add("datapoints", kept).build();
        Http.Response r = api().postJson("configuration?mode=replace", doc.toString());
        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().getInt("datapointsDeleted"), r.body());
        assertEquals(0, r.json().getInt("brokersDeleted"), r.body());
        assertEquals(404, api().get("datapoints/" + p + "-drop").status());
        assertEquals(200, api().get("datapoints/" + p + "-keep").status());
        assertEquals(only(all, "").getJsonArray("brokers"), only(api().get("configuration").json(), "")
                .getJsonArray("brokers"), "the brokers stay as they were");
    }

    @Test
    void ten_thousand_datapoints_in_one_document() {
        int count = Integer.getInteger("it.config.datapoints", 10_000);
        String p = unique("bulk-");
        Mosquitto m = Mosquitto.onFreePort(TestEnvironment.buildDir()).start();
        brokers.add(m);
        JsonArrayBuilder dps = Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            dps.add(Json.createObjectBuilder().add("name", p + "-" + i).add("path", p + "/dp/" + i)
                    .add("dataType", "REAL").add("bindings", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("broker", p).add("commandTopic", p + "/" + i + "/set")
                            .add("reportTopic", p + "/" + i + "/state"))));
        }
        JsonObject doc = Json.createObjectBuilder().add("formatVersion", 1)
                .add("brokers", Json.createArrayBuilder().add(Json.createObjectBuilder().add("name", p)
                        .add("host", "127.0.0.1").add("port", m.port()).add("clientId", p)
                        .add("reconnectIntervalSeconds", 1)))
                .add("datapoints", dps).build();
        String body = doc.toString();

        long t0 = System.nanoTime();
        Http.Response r = api().postJson("configuration", body);
        long importMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status(), r.body());
        assertEquals(count, r.json().getInt("datapointsCreated"), r.body());
        awaitConnected(p);
        commandUntilAccepted(m.uri(), p + "/" + (count - 1) + "/set", "7.0", p + "-" + (count - 1), "7.0");
        long workingMs = (System.nanoTime() - t0) / 1_000_000;

        t0 = System.nanoTime();
        Http.Response exported = api().get("configuration");
        long exportMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, exported.status());
        assertEquals(count, only(exported.json(), p).getJsonArray("datapoints").size());

        t0 = System.nanoTime();
        Http.Response unchanged = api().postJson("configuration", body);
        long reimportMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, unchanged.status(), unchanged.body());
        assertEquals(0, unchanged.json().getInt("datapointsUpdated"), unchanged.body());

        System.out.printf("CONFIGURATION IMPORT (%s): %,d datapoints with a binding each, %,d KB: import %,d ms, "
                        + "command on the last one executed %,d ms after the import began; export %,d ms; "
                        + "import of the same document again (nothing changes) %,d ms%n",
                System.getProperty("it.execution"), count, body.length() / 1024, importMs, workingMs, exportMs,
                reimportMs);
    }
}
