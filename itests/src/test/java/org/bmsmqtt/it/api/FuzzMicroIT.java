package org.bmsmqtt.it.api;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Robustness: a bounded run of malformed requests (fixed seed; {@code it.fuzz.requests}, default 3,000, and a
 * generous time cap that only ends the run early, never fails it) against every write endpoint: random JSON, wrong
 * types, strings up to 1 MB, unknown fields, nulls, deep nesting, invalid UTF-8, wrong content types, bad path
 * parameters. Never a 5xx; every 4xx is application/problem+json. Brokers the fuzz may create are forced to
 * 127.0.0.1 and disabled, so nothing connects anywhere. mode=replace is left out (it would delete the fixtures).
 */
@ExtendWith(RequiredPeers.class)
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "bad input is refused before the database matters: micro-h2 only")
class FuzzMicroIT {

    static final long SEED = Long.getLong("it.fuzz.seed", 20261122L);
    static final int REQUESTS = Integer.getInteger("it.fuzz.requests", 3000);
    static final Duration CAP = Duration.ofMinutes(15);

    URL deployment = SharedMicro.deployment();

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    /** A write endpoint: method, path template ({b} broker id, {d} datapoint, {i} binding id, {u} user) and a valid body. */
    record Target(String method, String path, String template) {
    }

    private final Random random = new Random(SEED);
    private String dp;
    private long broker;
    private long binding;

    List<Target> targets() {
        String brokerBody = "{\"name\": \"fz-b\", \"path\": \"fz/b\", \"host\": \"127.0.0.1\", \"port\": 1883, "
                + "\"clientId\": \"fz-b\", \"username\": \"u\", \"password\": \"fuzz-password-1\", "
                + "\"reconnectIntervalSeconds\": 5, \"keepAliveSeconds\": 30, \"tls\": false, \"tlsVersions\": [\"TLSv1.3\"], "
                + "\"caFile\": \"\", \"clientCertFile\": \"\", \"clientKeyFile\": \"\", \"keyPassword\": \"k-password-1\", "
                + "\"hostnameVerification\": true, \"antiEchoMillis\": 10000, \"enabled\": false}";
        String dpBody = "{\"name\": \"fz-dp\", \"path\": \"fz/dp\", \"dataType\": \"REAL\", \"accessMode\": \"READ_WRITE\", "
                + "\"persistent\": true, \"historical\": false, \"backupSync\": false, \"unit\": \"K\", \"description\": \"d\"}";
        String bindingBody = "{\"brokerId\": " + broker + ", \"commandTopic\": \"fz/c\", \"reportTopic\": \"fz/r\", "
                + "\"qos\": 1, \"retained\": false, \"payloadFormat\": \"JSON\", \"jsonPointer\": \"/v\"}";
        String configBody = "{\"formatVersion\": 1, \"brokers\": [" + brokerBody.replace("fz-b", "fz-cb")
                + "], \"datapoints\": [{\"name\": \"fz-cdp\", \"dataType\": \"INTEGER\", \"bindings\": [{\"broker\": "
                + "\"fz-cb\", \"commandTopic\": \"fz/cc\", \"qos\": 0}]}]}";
        String userBody = "{\"username\": \"fz-user\", \"password\": \"fuzz-user-password\", \"roles\": [\"bms-viewer\"]}";
        return List.of(
                new Target("POST", "brokers", brokerBody),
                new Target("PUT", "brokers/{b}", brokerBody),
                new Target("DELETE", "brokers/{b}", null),
                new Target("POST", "datapoints", dpBody),
                new Target("PUT", "datapoints/{d}", dpBody.replace("fz-dp", dp)),
                new Target("DELETE", "datapoints/{d}", null),
                new Target("POST", "datapoints/{d}/bindings", bindingBody),
                new Target("PUT", "datapoints/{d}/bindings/{i}", bindingBody),
                new Target("DELETE", "datapoints/{d}/bindings/{i}", null),
                new Target("PUT", "datapoints/{d}/value", "{\"value\": 21.5}"),
                new Target("POST", "configuration", configBody),
                new Target("POST", "users", userBody),
                new Target("PUT", "users/{u}", "{\"password\": \"another-password-1\", \"roles\": [\"bms-viewer\"]}"),
                new Target("DELETE", "users/{u}", null),
                new Target("PUT", "integrated-broker", "{\"startAtBoot\": false, \"authentication\": true, "
                        + "\"bindAddress\": \"127.0.0.1\", \"port\": 1883, \"tlsPort\": 0, \"tlsKeystoreFile\": \"\"}"),
                new Target("POST", "integrated-broker/users", "{\"name\": \"n\", \"username\": \"fz-bu\", "
                        + "\"password\": \"fuzz-broker-pw\", \"enabled\": true, \"publish\": [\"a/#\"], "
                        + "\"subscribe\": [\"a/+\"]}"),
                new Target("PUT", "integrated-broker/users/fz-bu", "{\"enabled\": false, \"publish\": [\"a/b\"]}"),
                new Target("DELETE", "integrated-broker/users/fz-bu", null));
    }

    @Test
    void malformed_requests_to_every_write_endpoint_are_4xx_problems_never_5xx() {
        Http api = api();
        Http.Response b = api.postJson("brokers", "{\"name\": \"fz-fixture\", \"host\": \"127.0.0.1\", \"port\": 1883, "
                + "\"clientId\": \"fz-fixture\", \"enabled\": false}");
        assertEquals(201, b.status(), b.body());
        broker = b.json().getJsonNumber("id").longValue();
        dp = "fz-fixture-dp";
        assertEquals(201, api.postJson("datapoints", "{\"name\": \"" + dp + "\", \"dataType\": \"REAL\"}").status());
        Http.Response bi = api.postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + broker
                + ", \"commandTopic\": \"fz/fixture\"}");
        assertEquals(201, bi.status(), bi.body());
        binding = bi.json().getJsonNumber("id").longValue();

        List<Target> targets = targets();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        long end = System.nanoTime() + CAP.toNanos();
        int sent = 0;
        int httpLayer = 0;
        for (; sent < REQUESTS && System.nanoTime() < end; sent++) {
            Target t = targets.get(random.nextInt(targets.size()));
            String path = path(t.path());
            String kind = "";
            String contentType = "application/json";
            byte[] body;
            int k = random.nextInt(100);
            if (t.template() == null) {
                body = k < 50 ? null : bytes(randomJson(3));
                kind = "delete";
            } else if (k < 30) {
                body = bytes(mutate(t.template()));
                kind = "mutated";
            } else if (k < 45) {
                body = bytes(randomJson(4));
                kind = "random json";
            } else if (k < 52) {
                body = bytes(deep(random.nextInt(3) == 0 ? 20_000 : 200 + random.nextInt(2000)));
                kind = "deep";
            } else if (k < 60) {
                body = invalidUtf8(t.template());
                kind = "invalid utf-8";
            } else if (k < 68) {
                body = bytes(t.template());
                contentType = pick("text/plain", "application/xml", null, "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "*/*", "application/jso");
                kind = "content type " + contentType;
            } else if (k < 75) {
                body = bytes(truncate(t.template()));
                kind = "truncated";
            } else if (k < 80) {
                body = k < 78 ? new byte[0] : bytes(pick("null", "true", "0", "\"x\"", "[]", "{}", "[null]"));
                kind = "empty or scalar";
            } else if (k < 84) {
                body = bytes(huge(t.template()));
                kind = "huge";
            } else {
                body = bytes(t.template());
                path = badPath(t.path());
                kind = "bad path";
            }
            Http.Response r;
            try {
                r = api.raw(t.method(), path, contentType, body);
            } catch (IllegalStateException e) {
                failures.add(t.method() + " " + path + " (" + kind + "): no answer: " + e.getMessage());
                continue;
            }
            statuses.merge(r.status() / 100 + "xx " + r.status(), 1, Integer::sum);
            if (kind.equals("invalid utf-8") && r.status() < 300) {
                failures.add(t.method() + " " + path + " (" + kind + "): accepted with " + r.status() + ": "
                        + clip(r.body()));
            } else if (r.status() >= 500) {
                failures.add(t.method() + " " + path + " (" + kind + "): " + r.status() + " " + clip(r.body()));
            } else if (r.status() == 400 && r.body().isEmpty() && r.contentType().isEmpty()) {
                // Payara's HTTP layer (Grizzly) refuses a DELETE with a body, or a request line too long, before
                // the application sees the request: nothing of ours to answer with a problem document.
                httpLayer++;
            } else if (r.status() >= 400 && !r.contentType().startsWith("application/problem+json")) {
                failures.add(t.method() + " " + path + " (" + kind + "): " + r.status() + " as " + r.contentType()
                        + ": " + clip(r.body()));
            }
        }
        // the integrated broker's settings as the next test classes expect them (not started at boot)
        api.putJson("integrated-broker", "{\"startAtBoot\": false, \"port\": 1883}");
        System.out.println("FUZZ: " + sent + " requests (seed " + SEED + "), statuses " + statuses + ", failures "
                + failures.size() + "; refused by the server's HTTP layer before the application (400, no body: a DELETE "
                + "with a body, a request line too long): " + httpLayer);
        try {
            java.nio.file.Files.write(TestEnvironment.buildDir().resolve("fuzz-failures.txt"), failures);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(sent > 0);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, e.g. " + failures.subList(0,
                Math.min(20, failures.size())));
        // the server still works (the fixtures themselves may be gone: valid DELETEs are part of the run)
        assertEquals(200, api.get("system/status").status());
        assertEquals(201, api.postJson("datapoints", "{\"name\": \"fz-after\", \"dataType\": \"REAL\"}").status());
    }

    // --- generators ---------------------------------------------------------------------------------------------

    private String path(String template) {
        return template.replace("{b}", String.valueOf(random.nextInt(4) == 0 ? broker + 1000 : broker))
                .replace("{d}", enc(random.nextInt(4) == 0 ? "fz-" + random.nextInt(10) : dp))
                .replace("{i}", String.valueOf(random.nextInt(4) == 0 ? binding + 1 : binding))
                .replace("{u}", enc("fz-user" + (random.nextBoolean() ? "" : random.nextInt(3))));
    }

    private String badPath(String template) {
        String bad = pick("", " ", "%00", "..", "../..", "%2F", "a/b", "-1", "0", "18446744073709551616", "1e3",
                "9223372036854775808", "null", "\u00e9\u4e2d\ud83d\ude00", "x".repeat(5000), "%", "#", "?", ";x=1",
                "{}", "[]", "'\"<>", "\t\n");
        String e = enc(bad);
        return template.replace("{b}", e).replace("{d}", random.nextBoolean() ? e : enc(dp)).replace("{i}", e)
                .replace("{u}", e.equals(enc("admin")) ? "x" : e);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private JsonValue randomValue(int depth) {
        int k = random.nextInt(depth <= 0 ? 6 : 8);
        return switch (k) {
            case 0 -> JsonValue.NULL;
            case 1 -> random.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 2 -> Json.createValue(pick(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1,
                    65536L, 3L));
            case 3 -> Json.createValue(pick(0.5, -1e308, 1e308, Double.MIN_VALUE, 21.5, -0.0));
            case 4, 5 -> Json.createValue(randomString());
            case 6 -> {
                JsonArrayBuilder a = Json.createArrayBuilder();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomValue(depth - 1));
                }
                yield a.build();
            }
            default -> {
                JsonObjectBuilder o = Json.createObjectBuilder();
                for (int i = random.nextInt(5); i > 0; i--) {
                    o.add(randomKey(), randomValue(depth - 1));
                }
                yield o.build();
            }
        };
    }

    private String randomJson(int depth) {
        return randomValue(depth).toString();
    }

    private String randomKey() {
        return pick("name", "path", "host", "port", "clientId", "dataType", "accessMode", "brokerId", "commandTopic",
                "reportTopic", "qos", "payloadFormat", "jsonPointer", "value", "username", "password", "roles",
                "brokers", "datapoints", "bindings", "broker", "formatVersion", "tlsVersions", "enabled", "x",
                randomString());
    }

    private String randomString() {
        return pick("", " ", "a", "REAL", "JSON", "bms-admin", "a/+/b", "#", "/", "\u0000", "\ud83d\ude00",
                "x".repeat(random.nextInt(3000)), "TLSv1.1", "../etc/passwd", "1e999", "true", "\"", "\\",
                "\u202e", "%s%n", "${jndi:x}");
    }

    /** The valid body with one field changed to something else, or a field added. */
    private String mutate(String template) {
        JsonObject o = Json.createReader(new StringReader(template)).readObject();
        JsonObjectBuilder b = Json.createObjectBuilder(o);
        List<String> keys = new ArrayList<>(o.keySet());
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(5) == 0 || keys.isEmpty()) {
                b.add(randomKey() + (random.nextBoolean() ? "" : "-unknown"), randomValue(2));
            } else if (random.nextInt(6) == 0) {
                b.remove(keys.get(random.nextInt(keys.size())));
            } else {
                b.add(keys.get(random.nextInt(keys.size())), randomValue(2));
            }
        }
        JsonObject m = b.build();
        return safeBrokers(m).toString();
    }

    /** Any broker the body could create stays on 127.0.0.1 and disabled: the fuzz must not connect anywhere. */
    private static JsonValue safeBrokers(JsonObject o) {
        JsonObjectBuilder b = Json.createObjectBuilder(o);
        if (o.containsKey("host") || o.containsKey("clientId")) {
            b.add("host", "127.0.0.1").add("enabled", false);
        }
        if (o.get("brokers") instanceof jakarta.json.JsonArray brokers) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            brokers.forEach(x -> a.add(x instanceof JsonObject bo
                    ? Json.createObjectBuilder(bo).add("host", "127.0.0.1").add("enabled", false).build() : x));
            b.add("brokers", a);
        }
        return b.build();
    }

    private String deep(int levels) {
        String open = random.nextBoolean() ? "[" : "{\"brokers\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(levels) + "1" + close.repeat(levels);
    }

    private byte[] invalidUtf8(String template) {
        byte[] t = bytes(template);
        int at = template.indexOf("\"", template.indexOf(":") + 1) + 1; // inside the first string value, if any
        byte[] bad = pick(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xed,
                (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {0});
        at = at <= 0 || at >= t.length ? random.nextInt(t.length) : at;
        byte[] out = new byte[t.length + bad.length];
        System.arraycopy(t, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(t, at, out, at + bad.length, t.length - at);
        return out;
    }

    private String truncate(String template) {
        return template.substring(0, random.nextInt(template.length()));
    }

    /** A string field of the valid body up to 1 MB long. */
    private String huge(String template) {
        JsonObject o = Json.createReader(new StringReader(template)).readObject();
        List<String> keys = new ArrayList<>(o.keySet());
        String key = keys.get(random.nextInt(keys.size()));
        int size = pick(1 << 10, 64 << 10, 1 << 20);
        return safeBrokers(Json.createObjectBuilder(o).add(key, "y".repeat(size)).build()).toString();
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
