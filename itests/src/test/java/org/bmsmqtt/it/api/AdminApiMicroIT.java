package org.bmsmqtt.it.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.TestCertificates;
import org.bmsmqtt.ra.testing.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API's conditional requests, paged lists, broker operations and certificate folder, as a client uses
 * them over HTTP, with mosquitto processes of the test's own (plain and TLS) on free ports.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-.*",
        disabledReason = "a Payara Micro test: -Dit.test reaches every execution")
@ExtendWith(RequiredPeers.class)
public class AdminApiMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofSeconds(2);
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

    // --- helpers -------------------------------------------------------------------------------------------------

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String etag(Http.Response r) {
        return r.header("ETag").orElseThrow(() -> new AssertionError("no ETag: " + r.headers().map()));
    }

    static void assertProblem(Http.Response r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        if (field != null) {
            assertTrue(r.json().getJsonArray("fields").stream()
                    .anyMatch(f -> f.asJsonObject().getString("field").equals(field)), r.body());
        }
    }

    Mosquitto newMosquitto() {
        Mosquitto m = Mosquitto.onFreePort(TestEnvironment.buildDir()).start();
        brokers.add(m);
        return m;
    }

    /** Adds a broker through the API; {@code extra} adds JSON members. Returns the created broker. */
    JsonObject addBroker(int port, String extra) {
        String name = unique("b");
        Http.Response r = api().postJson("brokers", "{\"name\": \"" + name + "\", \"host\": \"127.0.0.1\", \"port\": "
                + port + ", \"clientId\": \"" + name + "\", \"reconnectIntervalSeconds\": 1" + extra + "}");
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    JsonObject awaitState(long broker, String state) {
        Http.Response s = api().await("brokers/" + broker + "/status",
                x -> x.status() == 200 && x.json().getString("state").equals(state), WAIT);
        assertEquals(state, s.json().getString("state"), s.body());
        return s.json();
    }

    String datapoint(String path, String type) {
        String name = unique("dp");
        Http.Response r = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"path\": \"" + path + "/" + name
                + "\", \"dataType\": \"" + type + "\"}");
        assertEquals(201, r.status(), r.body());
        return name;
    }

    long bind(String dp, long broker, String commandTopic) {
        Http.Response r = api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + broker
                + ", \"commandTopic\": \"" + commandTopic + "\"}");
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    /** Publishes until the value shows up (the subscription follows the binding shortly after it is stored). */
    void commandUntil(String uri, String topic, String payload, String dp, double expected) {
        long end = System.nanoTime() + WAIT.toNanos();
        try (MqttTestClient device = new MqttTestClient(uri)) {
            while (System.nanoTime() < end) {
                device.publish(topic, payload, 1);
                Http.Response r = api().await("datapoints/" + dp + "/value", x -> hasValue(x.json(), expected),
                        Duration.ofSeconds(1));
                if (hasValue(r.json(), expected)) {
                    return;
                }
            }
        }
        throw new AssertionError("no command on " + topic + " reached " + dp);
    }

    static boolean hasValue(JsonObject value, double expected) {
        return Http.present(value, "value") && value.getJsonNumber("value").doubleValue() == expected;
    }

    // --- 1. ETag / If-Match ----------------------------------------------------------------------------------------

    @Test
    void single_resources_carry_an_etag_and_a_stale_if_match_is_refused_with_412() {
        JsonObject broker = addBroker(1, ", \"enabled\": false");
        long id = broker.getJsonNumber("id").longValue();
        String name = broker.getString("name");
        Http.Response got = api().get("brokers/" + id);
        String v1 = etag(got);
        assertEquals("\"" + got.json().getJsonNumber("version").longValue() + "\"", v1);

        String body = got.body().replace("\"port\":1,", "\"port\":2,");
        Http.Response updated = api().send("PUT", "brokers/" + id, "application/json", bytes(body), "If-Match", v1);
        assertEquals(200, updated.status(), updated.body());
        String v2 = etag(updated);
        assertNotEquals(v1, v2);
        assertEquals(v2, etag(api().get("brokers/" + id)));

        Http.Response stale = api().send("PUT", "brokers/" + id, "application/json", bytes(body), "If-Match", v1);
        assertProblem(stale, 412, "If-Match");
        assertTrue(stale.json().getString("detail").contains(name), stale.body());
        assertProblem(api().send("DELETE", "brokers/" + id, null, null, "If-Match", v1), 412, "If-Match");
        assertProblem(api().send("PUT", "brokers/" + id, "application/json", bytes(body), "If-Match", "3"), 400,
                "If-Match");
        // without If-Match: unconditional
        assertEquals(200, api().putJson("brokers/" + id, body).status());
        String current = etag(api().get("brokers/" + id));
        assertEquals(204, api().send("DELETE", "brokers/" + id, null, null, "If-Match", current).status());
        assertEquals(404, api().get("brokers/" + id).status());

        // datapoints
        String dp = datapoint(unique("it/etag"), "REAL");
        Http.Response d = api().get("datapoints/" + dp);
        String d1 = etag(d);
        assertEquals("\"1\"", d1, "a new datapoint is at version 1");
        String dpBody = d.body().replace("\"unit\":\"\"", "\"unit\":\"K\"");
        Http.Response d2 = api().send("PUT", "datapoints/" + dp, "application/json", bytes(dpBody), "If-Match", d1);
        assertEquals(200, d2.status(), d2.body());
        assertEquals("K", d2.json().getString("unit"));
        Http.Response dStale = api().send("PUT", "datapoints/" + dp, "application/json", bytes(dpBody), "If-Match", d1);
        assertProblem(dStale, 412, "If-Match");
        assertTrue(dStale.json().getString("detail").contains(dp), dStale.body());

        // bindings (to the broker "default" of the test server)
        long binding = bind(dp, 1, "it/etag/" + dp + "/set");
        Http.Response b = api().get("datapoints/" + dp + "/bindings/" + binding);
        assertEquals(200, b.status(), b.body());
        String b1 = etag(b);
        String bindingBody = "{\"brokerId\": 1, \"commandTopic\": \"it/etag/" + dp + "/cmd\"}";
        Http.Response b2 = api().send("PUT", "datapoints/" + dp + "/bindings/" + binding, "application/json",
                bytes(bindingBody), "If-Match", b1);
        assertEquals(200, b2.status(), b2.body());
        assertNotEquals(b1, etag(b2));
        assertProblem(api().send("DELETE", "datapoints/" + dp + "/bindings/" + binding, null, null, "If-Match", b1),
                412, "If-Match");
        assertEquals(204, api().send("DELETE", "datapoints/" + dp + "/bindings/" + binding, null, null, "If-Match",
                etag(b2)).status());
        assertProblem(api().send("DELETE", "datapoints/" + dp, null, null, "If-Match", d1), 412, "If-Match");
        assertEquals(204, api().send("DELETE", "datapoints/" + dp, null, null, "If-Match",
                etag(api().get("datapoints/" + dp))).status());
    }

    @Test
    void of_two_clients_updating_the_same_version_at_once_exactly_one_wins() throws Exception {
        String dp = datapoint(unique("it/race"), "REAL");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                Http.Response d = api().get("datapoints/" + dp);
                String tag = etag(d);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Http.Response>> results = new ArrayList<>();
                for (String unit : List.of("A" + round, "B" + round)) {
                    String body = d.body().replaceFirst("\"unit\":\"[^\"]*\"", "\"unit\":\"" + unit + "\"");
                    Callable<Http.Response> put = () -> {
                        go.await();
                        return api().send("PUT", "datapoints/" + dp, "application/json", bytes(body), "If-Match", tag);
                    };
                    results.add(pool.submit(put));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Http.Response> f : results) {
                    statuses.add(f.get().status());
                }
                statuses.sort(null);
                assertEquals(List.of(200, 412), statuses, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- 2. paging and filters -------------------------------------------------------------------------------------

    @Test
    void datapoints_are_listed_by_page_with_total_and_links_and_filtered_in_the_database() {
        String prefix = unique("it/page");
        JsonObject broker = addBroker(1, ", \"enabled\": false");
        long brokerId = broker.getJsonNumber("id").longValue();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String dp = datapoint(prefix, i < 3 ? "REAL" : "BOOLEAN");
            all.add(dp);
            if (i % 3 == 0) {
                bind(dp, brokerId, prefix + "/" + dp + "/set");
            }
        }
        Http.Response first = api().get("datapoints?pathPrefix=" + prefix + "&limit=3");
        assertEquals(200, first.status(), first.body());
        assertEquals(3, first.json(JsonArray.class).size());
        assertEquals("7", first.header("X-Total-Count").orElse(""));
        assertTrue(first.headers().allValues("Link").stream().noneMatch(l -> l.contains("rel=\"prev\"")));

        // follow rel="next" to the end: every datapoint once, by path
        Set<String> seen = new HashSet<>();
        List<String> paths = new ArrayList<>();
        Http.Response page = first;
        int pages = 1;
        while (true) {
            for (JsonValue v : page.json(JsonArray.class)) {
                assertTrue(seen.add(v.asJsonObject().getString("name")));
                paths.add(v.asJsonObject().getString("path"));
            }
            String next = link(page, "next");
            if (next == null) {
                break;
            }
            assertTrue(next.contains("pathPrefix="), next);
            page = api().get(next);
            pages++;
            assertEquals(200, page.status(), page.body());
            assertTrue(link(page, "prev") != null, page.headers().map().toString());
        }
        assertEquals(3, pages);
        assertEquals(Set.copyOf(all), seen);
        assertEquals(paths.stream().sorted().toList(), paths);

        assertEquals(4, api().get("datapoints?pathPrefix=" + prefix + "&dataType=BOOLEAN").json(JsonArray.class).size());
        assertEquals(3, api().get("datapoints?pathPrefix=" + prefix + "&broker=" + brokerId).json(JsonArray.class).size());
        Http.Response byName = api().get("datapoints?broker=" + broker.getString("name") + "&dataType=REAL");
        assertEquals(1, byName.json(JsonArray.class).size(), byName.body());
        assertEquals("1", byName.header("X-Total-Count").orElse(""));
        assertEquals(7, api().get("datapoints?path=" + prefix).json(JsonArray.class).size(), "the older name 'path'");
        Http.Response offset = api().get("datapoints?pathPrefix=" + prefix + "&offset=5");
        assertEquals(2, offset.json(JsonArray.class).size());
        assertEquals("7", offset.header("X-Total-Count").orElse(""));

        assertProblem(api().get("datapoints?limit=0"), 400, "limit");
        assertProblem(api().get("datapoints?limit=1001"), 400, "limit");
        assertProblem(api().get("datapoints?limit=ten"), 400, "limit");
        assertProblem(api().get("datapoints?offset=-1"), 400, "offset");
        assertProblem(api().get("datapoints?dataType=COLOUR"), 400, "dataType");
        assertProblem(api().get("datapoints?broker=" + unique("nobody")), 400, "broker");

        Http.Response brokerPage = api().get("brokers?limit=1");
        assertEquals(200, brokerPage.status(), brokerPage.body());
        assertEquals(1, brokerPage.json(JsonArray.class).size());
        long brokerTotal = Long.parseLong(brokerPage.header("X-Total-Count").orElse("0"));
        assertTrue(brokerTotal >= 2, brokerPage.headers().map().toString());
        assertTrue(link(brokerPage, "next") != null);
        assertProblem(api().get("brokers?offset=x"), 400, "offset");
    }

    /** The target of the RFC 8288 Link header with this relation, relative to the API root; null if none. */
    static String link(Http.Response r, String rel) {
        Pattern p = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?" + rel + "\"?");
        for (String header : r.headers().allValues("Link")) {
            Matcher m = p.matcher(header);
            if (m.find()) {
                String target = m.group(1);
                return target.substring(target.indexOf("/api/v1/") + "/api/v1/".length());
            }
        }
        return null;
    }

    // --- 3. broker operations --------------------------------------------------------------------------------------

    @Test
    void a_stopped_broker_takes_no_command_until_started_and_reconnect_touches_only_its_session() {
        Mosquitto m = newMosquitto();
        Mosquitto other = newMosquitto();
        long id = addBroker(m.port(), "").getJsonNumber("id").longValue();
        long otherId = addBroker(other.port(), "").getJsonNumber("id").longValue();
        awaitState(id, "CONNECTED");
        String otherSince = awaitState(otherId, "CONNECTED").getString("since");
        String dp = datapoint(unique("it/ops"), "REAL");
        String topic = "ops/" + dp + "/set";
        bind(dp, id, topic);
        commandUntil(m.uri(), topic, "1", dp, 1);

        Http.Response stop = api().postJson("brokers/" + id + "/stop", "");
        assertEquals(200, stop.status(), stop.body());
        assertEquals("DISABLED", stop.json().getString("state"));
        assertFalse(api().get("brokers/" + id).json().getBoolean("enabled"), "stop is stored: enabled=false");
        assertEquals("DISABLED", api().get("brokers/" + id + "/status").json().getString("state"));
        try (MqttTestClient device = new MqttTestClient(m.uri())) {
            device.publish(topic, "2", 1);
        }
        Http.Response unchanged = api().await("datapoints/" + dp + "/value", x -> hasValue(x.json(), 2), QUIET);
        assertTrue(hasValue(unchanged.json(), 1), "a stopped broker took a command: " + unchanged.body());
        assertProblem(api().postJson("brokers/" + id + "/reconnect", ""), 409, "enabled");

        Http.Response start = api().postJson("brokers/" + id + "/start", "");
        assertEquals(200, start.status(), start.body());
        assertTrue(api().get("brokers/" + id).json().getBoolean("enabled"));
        awaitState(id, "CONNECTED");
        commandUntil(m.uri(), topic, "3", dp, 3);

        String since = awaitState(id, "CONNECTED").getString("since");
        Http.Response reconnect = api().postJson("brokers/" + id + "/reconnect", "");
        assertEquals(200, reconnect.status(), reconnect.body());
        JsonObject after = api().await("brokers/" + id + "/status", x -> x.json().getString("state").equals("CONNECTED")
                && !x.json().getString("since").equals(since), WAIT).json();
        assertNotEquals(since, after.getString("since"), "a new session: " + after);
        assertEquals(otherSince, api().get("brokers/" + otherId + "/status").json().getString("since"),
                "the other broker's session was not touched");
        commandUntil(m.uri(), topic, "4", dp, 4);

        // stale If-Match on an operation; a viewer may not operate
        String tag = etag(api().get("brokers/" + id));
        assertEquals(200, api().send("POST", "brokers/" + id + "/stop", null, null, "If-Match", tag).status());
        assertProblem(api().send("POST", "brokers/" + id + "/start", null, null, "If-Match", tag), 412, "If-Match");
        Http viewer = viewer();
        assertEquals(403, viewer.postJson("brokers/" + id + "/start", "").status());
        assertEquals(403, viewer.postJson("brokers/" + id + "/reconnect", "").status());
        assertEquals(200, viewer.get("brokers/" + id + "/status").status());
    }

    /** Found by the fuzz test: a name with % made the Location header throw after the datapoint was stored (500). */
    @Test
    void a_name_with_percent_signs_gets_a_valid_location() {
        String name = unique("50% off %s%n");
        Http.Response r = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"dataType\": \"REAL\"}");
        assertEquals(201, r.status(), r.body());
        String location = r.header("Location").orElseThrow();
        assertTrue(location.endsWith("datapoints/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20")), location);
        Http.Response read = api().get(location.substring(location.indexOf("datapoints/")));
        assertEquals(200, read.status(), read.body());
        assertEquals(name, read.json().getString("name"));
    }

    /** JSON-B alone reads any string as a boolean ("yes" as false): a typo must not silently turn a switch off. */
    @Test
    void a_boolean_given_as_a_string_or_number_is_refused() {
        for (String wrong : new String[]{"\"yes\"", "\"true\"", "1", "[]"}) {
            Http.Response r = api().postJson("datapoints", "{\"name\": \"" + unique("strict") + "\", \"dataType\": "
                    + "\"REAL\", \"persistent\": " + wrong + "}");
            assertProblem(r, 400, "body");
            assertTrue(r.json().getString("detail").contains("true or false"), r.body());
        }
        Http.Response ok = api().postJson("datapoints", "{\"name\": \"" + unique("strict") + "\", \"dataType\": "
                + "\"REAL\", \"persistent\": true, \"historical\": null}");
        assertEquals(201, ok.status(), ok.body());
        assertTrue(ok.json().getBoolean("persistent"));
    }

    Http viewer() {
        String user = unique("viewer");
        String password = "viewer-pw-" + UUID.randomUUID();
        assertEquals(201, api().postJson("users", "{\"username\": \"" + user + "\", \"password\": \"" + password
                + "\", \"roles\": [\"bms-viewer\"]}").status());
        return api().as(user, password);
    }

    // --- 4. certificates -------------------------------------------------------------------------------------------

    @Test
    void an_uploaded_ca_is_listed_with_subject_and_expiry_connects_a_tls_broker_and_cannot_be_deleted_while_used()
            throws Exception {
        String cn = unique("AdminApi CA");
        Issued ca = TestCertificates.ca(cn);
        Path dir = TestCertificates.writePem(TestEnvironment.buildDir().resolve(unique("admin-api-certs"))
                .resolve("ca.pem"), ca.certificate()).getParent();
        byte[] caPem = Files.readAllBytes(dir.resolve("ca.pem"));
        String name = unique("it-ca") + ".pem";

        Http.Response up = api().send("POST", "certificates?name=" + name, "application/x-pem-file", caPem);
        assertEquals(201, up.status(), up.body());
        assertEquals("PEM", up.json().getString("type"));
        assertTrue(up.json().getString("subject").contains(cn), up.body());
        assertEquals(ca.certificate().getNotAfter().toInstant(), Instant.parse(up.json().getString("notAfter")));
        JsonObject listed = api().get("certificates").json(JsonArray.class).stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow();
        assertTrue(listed.getString("subject").contains(cn), listed.toString());
        assertTrue(listed.getString("issuer").contains(cn), listed.toString());
        assertTrue(Http.present(listed, "notBefore"), listed.toString());
        assertEquals(200, api().get("certificates/" + name).status());
        assertProblem(api().send("POST", "certificates?name=" + name, "application/x-pem-file", caPem), 409, "name");

        // a TLS mosquitto with a server certificate of that CA
        Issued server = TestCertificates.server(ca, "127.0.0.1");
        Mosquitto tls = Mosquitto.onFreePort(TestEnvironment.buildDir());
        Path certs = tls.dir().resolve("certs");
        tls.withConfig(true, "listener " + tls.port() + " 127.0.0.1",
                "cafile " + TestCertificates.writePem(certs.resolve("ca.pem"), ca.certificate()),
                "certfile " + TestCertificates.writePem(certs.resolve("server.pem"), server.certificate()),
                "keyfile " + TestCertificates.writeKey(certs.resolve("server.key"), server.key()),
                "allow_anonymous true");
        brokers.add(tls);
        tls.start();
        assertProblem(api().postJson("brokers", "{\"name\": \"" + unique("tls") + "\", \"host\": \"127.0.0.1\", "
                + "\"port\": " + tls.port() + ", \"clientId\": \"x\", \"tls\": true, \"caFile\": \"missing-"
                + name + "\"}"), 400, "caFile");
        JsonObject broker = addBroker(tls.port(), ", \"tls\": true, \"caFile\": \"" + name + "\"");
        long id = broker.getJsonNumber("id").longValue();
        awaitState(id, "CONNECTED");

        Http.Response refused = api().delete("certificates/" + name);
        assertProblem(refused, 409, "name");
        assertTrue(refused.json().getString("detail").contains(broker.getString("name")), refused.body());
        Http viewer = viewer();
        assertEquals(403, viewer.delete("certificates/" + name).status());
        assertEquals(403, viewer.send("POST", "certificates?name=v-" + name, "application/x-pem-file", caPem).status());
        assertEquals(200, viewer.get("certificates").status());

        assertEquals(204, api().delete("brokers/" + id).status());
        assertEquals(204, api().delete("certificates/" + name).status());
        assertEquals(404, api().get("certificates/" + name).status());
    }

    @Test
    void der_and_pkcs12_files_are_read_and_bad_names_or_content_are_refused_naming_the_field() throws Exception {
        Issued ca = TestCertificates.ca(unique("DER CA"));
        Path dir = TestEnvironment.buildDir().resolve(unique("admin-api-files"));
        byte[] der = Files.readAllBytes(TestCertificates.writeDer(dir.resolve("ca.der"), ca.certificate()));
        String derName = unique("it-ca") + ".der";
        Http.Response d = api().send("POST", "certificates?name=" + derName, "application/pkix-cert", der);
        assertEquals(201, d.status(), d.body());
        assertEquals("DER", d.json().getString("type"));

        // PKCS#12 as a multipart form, with the password only to read it
        Issued client = TestCertificates.client(ca, unique("client"), "RSA");
        byte[] p12 = Files.readAllBytes(TestCertificates.writePkcs12(dir.resolve("client.p12"), client, "p12-secret"));
        String p12Name = unique("it-client") + ".p12";
        Http.Response wrong = api().send("POST", "certificates", "multipart/form-data; boundary=XyZ",
                multipart("XyZ", p12Name, p12, "not-the-password"));
        assertProblem(wrong, 400, "password");
        Http.Response p = api().send("POST", "certificates", "multipart/form-data; boundary=XyZ",
                multipart("XyZ", p12Name, p12, "p12-secret"));
        assertEquals(201, p.status(), p.body());
        assertEquals("PKCS12", p.json().getString("type"));
        assertEquals(p12Name, p.json().getString("name"));
        assertTrue(p.json().getString("subject").contains("CN=client"), p.body());
        Http.Response later = api().get("certificates/" + p12Name);
        assertEquals(p.json().getString("notAfter"), later.json().getString("notAfter"), later.body());
        assertFalse(later.body().contains("p12-secret") || api().get("certificates").body().contains("p12-secret"));

        // a PEM private key alone is a valid client key file
        byte[] key = Files.readAllBytes(TestCertificates.writeKey(dir.resolve("client.key"), client.key()));
        Http.Response k = api().send("POST", "certificates?name=" + unique("it-key") + ".key", "application/x-pem-file", key);
        assertEquals(201, k.status(), k.body());
        assertEquals("PEM_KEY", k.json().getString("type"));

        byte[] junk = "not a certificate".getBytes(StandardCharsets.UTF_8);
        assertProblem(api().send("POST", "certificates?name=" + unique("junk"), "application/octet-stream", junk), 400, "file");
        assertProblem(api().send("POST", "certificates?name=" + unique("empty"), "application/octet-stream", new byte[0]),
                400, "file");
        for (String bad : List.of("..", "..%2Fx.pem", "a%2Fb.pem", "a%5Cb.pem", ".hidden", "x".repeat(101), "")) {
            assertProblem(api().send("POST", "certificates?name=" + bad, "application/octet-stream", der), 400, "name");
        }
        assertEquals(404, api().get("certificates/" + unique("none")).status());
    }

    public static byte[] multipart(String boundary, String fileName, byte[] file, String password) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" + password
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/x-pkcs12\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
