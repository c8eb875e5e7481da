package org.bmsmqtt.it.thinpath;

import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thinnest real path, both directions, as a client sees it. Run against every deployment shape:
 * Payara Micro (RAR + WAR) on H2 and PostgreSQL, and the EAR on Payara Server.
 */
abstract class ThinPathContract {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** The admin API root of the deployment under test, ending in {@code /api/v1/}. */
    abstract Http api();

    static String brokerUri() {
        return TestEnvironment.mosquitto().uri();
    }

    /**
     * A new REAL datapoint bound to the broker "default" (created at first start from bms.mqtt.*) with command topic
     * {@code bms/<name>/set} and report topic {@code bms/<name>/state}.
     */
    String newDatapoint() {
        String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response dp = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"path\": \"it/" + name
                + "\", \"dataType\": \"REAL\"}");
        assertEquals(201, dp.status(), dp.body());
        Http.Response b = api().postJson("datapoints/" + name + "/bindings", "{\"brokerId\": " + defaultBroker()
                + ", \"commandTopic\": \"bms/" + name + "/set\", \"reportTopic\": \"bms/" + name + "/state\"}");
        assertEquals(201, b.status(), b.body());
        return name;
    }

    long defaultBroker() {
        Http.Response r = api().get("brokers");
        assertEquals(200, r.status(), r.body());
        return r.json(jakarta.json.JsonArray.class).getValuesAs(JsonObject.class).stream()
                .filter(b -> b.getString("name").equals("default")).findFirst()
                .orElseThrow(() -> new AssertionError("no broker 'default': " + r.body()))
                .getJsonNumber("id").longValue();
    }

    @Test
    void value_published_on_the_command_topic_shows_up_in_the_GET() {
        String dp = newDatapoint();
        try (MqttTestClient device = new MqttTestClient(brokerUri())) {
            device.publish("bms/" + dp + "/set", "21.5", 1);
        }
        Http.Response r = api().await("datapoints/" + dp + "/value",
                x -> x.status() == 200 && Http.present(x.json(), "value")
                        && x.json().getJsonNumber("value").doubleValue() == 21.5, WAIT);
        assertEquals(200, r.status(), r.body());
        JsonObject v = r.json();
        assertEquals(21.5, v.getJsonNumber("value").doubleValue());
        assertEquals("REAL", v.getString("dataType"));
        assertTrue(v.getString("source").startsWith("mqtt:"), v.toString());
        assertNotNull(v.getString("timestamp"));
    }

    @Test
    void value_PUT_is_published_on_the_report_topic() {
        String dp = newDatapoint();
        try (MqttTestClient subscriber = new MqttTestClient(brokerUri())) {
            subscriber.subscribe("bms/" + dp + "/state", 1);
            Http.Response put = api().putJson("datapoints/" + dp + "/value", "{\"value\": 23.5}");
            assertEquals(200, put.status(), put.body());
            assertEquals(23.5, put.json().getJsonNumber("value").doubleValue());

            MqttTestClient.Received report = subscriber.next(WAIT);
            assertNotNull(report, "nothing arrived on bms/" + dp + "/state");
            assertEquals("23.5", report.payload());
            assertTrue(report.userProperties().containsKey("bms-origin"),
                    "our publications carry the origin mark: " + report.userProperties());
        }
        Http.Response get = api().get("datapoints/" + dp + "/value");
        assertEquals(23.5, get.json().getJsonNumber("value").doubleValue());
        assertEquals("api", get.json().getString("source"));
    }

    @Test
    void a_payload_that_is_not_a_number_is_counted_and_shown_and_the_value_kept() {
        String dp = newDatapoint();
        try (MqttTestClient device = new MqttTestClient(brokerUri())) {
            device.publish("bms/" + dp + "/set", "20", 1);
            device.publish("bms/" + dp + "/set", "twenty", 1);
            device.publish("bms/" + dp + "/set", "20,5", 1);
        }
        Http.Response r = api().await("datapoints/" + dp + "/value",
                x -> x.status() == 200 && x.json().getJsonNumber("rejected").longValue() == 2
                        && Http.present(x.json(), "value"), WAIT);
        JsonObject v = r.json();
        assertEquals(2, v.getJsonNumber("rejected").longValue(), v.toString());
        assertEquals(20.0, v.getJsonNumber("value").doubleValue(), "a rejected payload must not change the value");
        assertTrue(v.getString("lastError").contains("not a number"), v.toString());
    }

    @Test
    void an_unknown_datapoint_is_a_404_problem() {
        Http.Response r = api().get("datapoints/it-unknown-" + UUID.randomUUID() + "/value");
        assertEquals(404, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("name", r.json().getJsonArray("fields").getJsonObject(0).getString("field"));
    }

    @Test
    void a_PUT_that_does_not_fit_is_a_400_problem_naming_the_field() {
        String dp = newDatapoint();
        assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 1}").status());
        Http.Response r = api().putJson("datapoints/" + dp + "/value", "{\"value\": \"warm\"}");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("value", r.json().getJsonArray("fields").getJsonObject(0).getString("field"));
        assertEquals(1.0, api().get("datapoints/" + dp + "/value").json().getJsonNumber("value").doubleValue());
    }
}
