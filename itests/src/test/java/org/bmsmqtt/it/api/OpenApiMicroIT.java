package org.bmsmqtt.it.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document at /openapi (MicroProfile OpenAPI: the static META-INF/openapi.yaml of bms-web merged with
 * the scanned resources): reachable without credentials, every path and method of the API in it, each operation
 * with an example of its success response (and of its request body), HTTP Basic as the security scheme, and the
 * problem+json schema. A resource added without documentation fails here: the scanner lists it without examples.
 */
@ExtendWith(RequiredPeers.class)
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "the document does not depend on the database: micro-h2 only")
class OpenApiMicroIT {

    /** Every path and method of the admin API. */
    static final Map<String, Set<String>> API = Map.ofEntries(
            Map.entry("/api/v1/brokers", Set.of("get", "post")),
            Map.entry("/api/v1/brokers/{id}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/brokers/{id}/status", Set.of("get")),
            Map.entry("/api/v1/brokers/{id}/stop", Set.of("post")),
            Map.entry("/api/v1/brokers/{id}/start", Set.of("post")),
            Map.entry("/api/v1/brokers/{id}/reconnect", Set.of("post")),
            Map.entry("/api/v1/certificates", Set.of("get", "post")),
            Map.entry("/api/v1/certificates/{name}", Set.of("get", "delete")),
            Map.entry("/api/v1/datapoints", Set.of("get", "post")),
            Map.entry("/api/v1/datapoints/{name}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/datapoints/{name}/bindings", Set.of("get", "post")),
            Map.entry("/api/v1/datapoints/{name}/bindings/{id}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/datapoints/{name}/value", Set.of("get", "put")),
            Map.entry("/api/v1/datapoints/{name}/history", Set.of("get")),
            Map.entry("/api/v1/datapoints/{name}/history/aggregates", Set.of("get")),
            Map.entry("/api/v1/configuration", Set.of("get", "post")),
            Map.entry("/api/v1/users", Set.of("get", "post")),
            Map.entry("/api/v1/users/{username}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/integrated-broker", Set.of("get", "put")),
            Map.entry("/api/v1/integrated-broker/status", Set.of("get")),
            Map.entry("/api/v1/integrated-broker/start", Set.of("post")),
            Map.entry("/api/v1/integrated-broker/stop", Set.of("post")),
            Map.entry("/api/v1/integrated-broker/apply", Set.of("post")),
            Map.entry("/api/v1/integrated-broker/users", Set.of("get", "post")),
            Map.entry("/api/v1/integrated-broker/users/{username}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/system/status", Set.of("get")),
            Map.entry("/api/v1/cluster", Set.of("get")),
            // KNX
            Map.entry("/api/v1/knx/connections", Set.of("get", "post")),
            Map.entry("/api/v1/knx/connections/{id}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/knx/connections/{id}/status", Set.of("get")),
            Map.entry("/api/v1/knx/connections/{id}/stop", Set.of("post")),
            Map.entry("/api/v1/knx/connections/{id}/start", Set.of("post")),
            Map.entry("/api/v1/knx/bindings", Set.of("get", "post")),
            Map.entry("/api/v1/knx/bindings/{id}", Set.of("get", "put", "delete")),
            // BACnet
            Map.entry("/api/v1/bacnet/network", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/bacnet/network/status", Set.of("get")),
            Map.entry("/api/v1/bacnet/devices", Set.of("get")),
            Map.entry("/api/v1/bacnet/devices/discover", Set.of("post")),
            Map.entry("/api/v1/bacnet/devices/{instance}/objects", Set.of("get")),
            Map.entry("/api/v1/bacnet/bindings", Set.of("get", "post")),
            Map.entry("/api/v1/bacnet/bindings/{id}", Set.of("get", "put", "delete")),
            Map.entry("/api/v1/bacnet/bindings/{id}/status", Set.of("get")),
            Map.entry("/api/v1/bacnet/bindings/{id}/relinquish", Set.of("post")));
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    URL deployment = SharedMicro.deployment();

    Http server() {
        return new Http(URI.create("http://127.0.0.1:" + URI.create(deployment.toString()).getPort() + "/")).anonymous();
    }

    JsonObject document() {
        Http.Response r = server().get("openapi?format=JSON");
        assertEquals(200, r.status(), "GET /openapi without credentials: " + r.body());
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    @Test
    void openapi_is_reachable_without_credentials_in_yaml_and_json() {
        Http.Response yaml = server().get("openapi");
        assertEquals(200, yaml.status(), yaml.body());
        assertTrue(yaml.body().contains("openapi: 3."), yaml.body().substring(0, Math.min(200, yaml.body().length())));
        assertTrue(yaml.body().contains("/api/v1/configuration"), "the static document is merged in");
        assertTrue(document().getString("openapi").startsWith("3."));
    }

    @Test
    void every_path_and_method_of_the_API_is_described_with_examples() {
        JsonObject paths = document().getJsonObject("paths");
        List<String> missing = new ArrayList<>();
        API.forEach((path, methods) -> {
            JsonObject item = paths.getJsonObject(path);
            if (item == null) {
                missing.add(path + " (not in the document; it has " + paths.keySet() + ")");
                return;
            }
            methods.forEach(m -> {
                if (!item.containsKey(m)) {
                    missing.add(m.toUpperCase() + " " + path);
                }
            });
        });
        assertTrue(missing.isEmpty(), "missing from /openapi: " + missing);

        List<String> undocumented = new ArrayList<>();
        paths.forEach((path, value) -> value.asJsonObject().forEach((method, op) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            JsonObject o = op.asJsonObject();
            String where = method.toUpperCase() + " " + path;
            if (!o.containsKey("summary") && !o.containsKey("description")) {
                undocumented.add(where + ": no summary");
            }
            JsonObject responses = o.getJsonObject("responses");
            boolean successExample = responses != null && responses.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("2"))
                    .anyMatch(e -> e.getKey().equals("204") || hasExample(e.getValue().asJsonObject())
                            || e.getKey().equals("202") && !e.getValue().asJsonObject().containsKey("content"));
            if (!successExample) {
                undocumented.add(where + ": no example of its success response");
            }
            if (o.containsKey("requestBody") && !hasExample(o.getJsonObject("requestBody"))) {
                undocumented.add(where + ": no example of its request body");
            }
            if (responses == null || !responses.containsKey("401")) {
                undocumented.add(where + ": no 401");
            }
        }));
        assertTrue(undocumented.isEmpty(), "operations without their documentation: " + undocumented);
    }

    private static boolean hasExample(JsonObject bodyOrResponse) {
        JsonObject content = bodyOrResponse.getJsonObject("content");
        if (content == null) {
            return false;
        }
        return content.values().stream().map(JsonValue::asJsonObject)
                .anyMatch(media -> media.containsKey("example") || media.containsKey("examples"));
    }

    @Test
    void http_basic_and_the_problem_schema_are_described() {
        JsonObject doc = document();
        JsonObject components = doc.getJsonObject("components");
        JsonObject basic = components.getJsonObject("securitySchemes").getJsonObject("basicAuth");
        assertEquals("http", basic.getString("type"));
        assertEquals("basic", basic.getString("scheme"));
        assertTrue(doc.getJsonArray("security").toString().contains("basicAuth"), "applies to every operation");
        JsonObject problem = components.getJsonObject("schemas").getJsonObject("Problem");
        assertTrue(problem.getJsonObject("properties").keySet().containsAll(Set.of("type", "title", "status", "detail",
                "fields")), problem.toString());
        String invalid = components.getJsonObject("responses").getJsonObject("Invalid").toString();
        assertTrue(invalid.contains("application/problem+json") && invalid.contains("\"example\""), invalid);
    }
}
