package org.bmsmqtt.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The admin API as a client sees it: HTTP Basic as the test admin ({@link #ADMIN_USER} / {@link #ADMIN_PASSWORD},
 * the {@code bms.admin.*} every test server is started with), as another user, or anonymous.
 */
public final class Http {

    /** The first admin of every test server; the micro-*.properties files and the test classes set these keys. */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-password-1";

    /** The {@code bms.admin.*} configuration that gives a test server the test admin. */
    public static java.util.Map<String, String> adminConfig() {
        return java.util.Map.of("bms.admin.username", ADMIN_USER, "bms.admin.password", ADMIN_PASSWORD);
    }

    /** A response: status, content type and body. */
    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        public <T extends jakarta.json.JsonStructure> T json(Class<T> type) {
            return type.cast(Json.createReader(new StringReader(body)).read());
        }
    }

    /** Whether {@code key} is in {@code o} and not null (JSON-B leaves null fields out). */
    public static boolean present(JsonObject o, String key) {
        return o.containsKey(key) && o.get(key).getValueType() != jakarta.json.JsonValue.ValueType.NULL;
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // HTTP/2 upgrades closed idle connections under us ("Idle connection closed by HTTP/2 peer")
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final URI base;
    private final String authorization; // null: anonymous

    /** As the test admin. @param base the API root, e.g. {@code http://127.0.0.1:8080/bms/api/v1/} */
    public Http(URI base) {
        this(base, ADMIN_USER, ADMIN_PASSWORD);
    }

    /** As {@code user}; a null user sends no credentials. */
    public Http(URI base, String user, String password) {
        this.base = base;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The same API as another user. */
    public Http as(String user, String password) {
        return new Http(base, user, password);
    }

    /** The same API without credentials. */
    public Http anonymous() {
        return new Http(base, null, null);
    }

    /** Any method, optionally with a JSON body (null: none). */
    public Response send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b);
    }

    /**
     * Any method with raw bytes and any content type (null: no Content-Type header), for malformed requests. The
     * path is taken as it is: encode what it holds.
     */
    public Response raw(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return send(b);
    }

    /**
     * Any method with a body of any type ({@code body} null: none) and extra headers as name, value pairs (e.g.
     * {@code "If-Match", "\"3\""}).
     */
    public Response send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public Response postJson(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    public Response putJson(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** GETs {@code path} until {@code done} holds for the response or {@code timeout} passes; returns the last one. */
    public Response await(String path, Predicate<Response> done, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Response last = get(path);
        while (!done.test(last) && System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = get(path);
        }
        return last;
    }

    private Response send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            Secrets.seen(built.method() + " " + built.uri().getPath(), r.body());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                    r.headers());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
