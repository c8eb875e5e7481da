package org.bmsmqtt.it.ecosystem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Availability and Home Assistant discovery end to end: a Payara Micro process of its own (so it can be killed with
 * kill -9) against a mosquitto of its own, watched by a plain MQTT client as Home Assistant would. The birth on
 * connect; discovery configs that appear, change and disappear with datapoints and bindings at run time; the will
 * when the process is killed. micro-h2 only: the server has its own H2 database.
 */
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2",
        disabledReason = "starts a server process of its own: micro-h2 only")
@ExtendWith(RequiredPeers.class)
class EcosystemMicroIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static MicroProcess server;
    private static Mosquitto broker;

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void birth_discovery_at_run_time_and_the_will_on_kill_minus_9() throws Exception {
        Path build = TestEnvironment.buildDir();
        assertTrue(MicroProcess.available(build), "the itests build did not copy the server and the applications");
        String run = UUID.randomUUID().toString().substring(0, 8);
        broker = Mosquitto.onFreePort(Specs.workDir()).start();
        Map<String, String> config = new LinkedHashMap<>(Http.adminConfig());
        Path work = build.resolve("eco-" + run);
        config.put("bms.data.dir", work.resolve("data").toAbsolutePath().toString());
        config.put("bms.mqtt.server-uri", "tcp://127.0.0.1:" + org.bmsmqtt.ra.testing.Peers.freePort()); // no default
        config.put("bms.server-id", "it-eco-" + run);
        config.put("bms.integrated-broker.start-at-boot", "false");
        server = new MicroProcess(build, work.resolve("micro"), config).start();
        Http api = new Http(server.api());
        String status = "site-" + run + "/bms/status";

        try (MqttTestClient ha = new MqttTestClient(broker.uri())) {
            ha.subscribe(status, 1);
            ha.subscribe("homeassistant/#", 1);

            Http.Response bad = api.postJson("brokers", brokerJson(run, "a/+/status", true));
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.contentType().startsWith("application/problem+json"), bad.contentType());
            assertTrue(bad.body().contains("availabilityTopic"), bad.body());

            Http.Response b = api.postJson("brokers", brokerJson(run, status, true));
            assertEquals(201, b.status(), b.body());
            long brokerId = b.json().getJsonNumber("id").longValue();
            assertTrue(b.json().getBoolean("discovery"), b.body());
            assertNotNull(until(ha, status, "online"), "birth on connect");

            String dp = "eco-" + run;
            assertEquals(201, api.postJson("datapoints", "{\"name\": \"" + dp + "\", \"path\": \"floor1/room1/" + dp
                    + "\", \"dataType\": \"REAL\", \"accessMode\": \"READ\", \"unit\": \"°C\"}").status());
            Http.Response binding = api.postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + brokerId
                    + ", \"reportTopic\": \"site-" + run + "/" + dp + "/state\", \"payloadFormat\": \"STATE\"}");
            assertEquals(201, binding.status(), binding.body());
            MqttTestClient.Received sensor = untilPrefix(ha, "homeassistant/sensor/");
            assertNotNull(sensor, "a sensor config appears");
            assertTrue(sensor.retained() || sensor.payload().startsWith("{"), sensor.toString());
            JsonObject cfg = Json.createReader(new StringReader(sensor.payload())).readObject();
            assertEquals("site-" + run + "/" + dp + "/state", cfg.getString("state_topic"));
            assertEquals("°C", cfg.getString("unit_of_measurement"));
            assertEquals(status, cfg.getString("availability_topic"));
            assertEquals("{{ value_json.value }}", cfg.getString("value_template"));
            assertEquals("floor1/room1", cfg.getJsonObject("device").getString("name"));
            String uniqueId = cfg.getString("unique_id");

            // READ -> READ_WRITE with a command topic: the sensor goes, a number comes with the same unique id
            assertEquals(200, api.putJson("datapoints/" + dp, "{\"name\": \"" + dp + "\", \"path\": \"floor1/room1/"
                    + dp + "\", \"dataType\": \"REAL\", \"accessMode\": \"READ_WRITE\", \"unit\": \"°C\"}").status());
            long bindingId = binding.json().getJsonNumber("id").longValue();
            assertEquals(200, api.putJson("datapoints/" + dp + "/bindings/" + bindingId, "{\"brokerId\": " + brokerId
                    + ", \"commandTopic\": \"site-" + run + "/" + dp + "/set\", \"reportTopic\": \"site-" + run + "/"
                    + dp + "/state\", \"payloadFormat\": \"STATE\"}").status());
            MqttTestClient.Received number = untilPrefix(ha, "homeassistant/number/");
            assertNotNull(number, "the config changes with the datapoint");
            assertEquals(uniqueId, Json.createReader(new StringReader(number.payload())).readObject()
                    .getString("unique_id"));

            // the datapoint goes: an empty retained config removes the entity
            assertEquals(204, api.delete("datapoints/" + dp).status());
            MqttTestClient.Received removal = until(ha, number.topic(), "");
            assertNotNull(removal, "the config disappears with the datapoint");

            // a config left on the broker for a datapoint this server no longer has (deleted while it was down):
            // removed when the session opens again
            String stale = "homeassistant/sensor/bms_it-eco-" + run + "/dp987654321/config";
            ha.publishRetained(stale, "{\"name\": \"left behind\"}", 1);
            assertEquals(200, api.postJson("brokers/" + brokerId + "/reconnect", "").status());
            assertNotNull(until(ha, stale, ""), "the stale config is removed when the session opens");

            server.killHard(); // kill -9: no shutdown, the broker publishes the will
            assertNotNull(until(ha, status, "offline"), "the will after kill -9");
        }
    }

    private static String brokerJson(String run, String status, boolean discovery) {
        return "{\"name\": \"eco-" + run + "\", \"path\": \"brokers/eco\", \"host\": \"127.0.0.1\", \"port\": "
                + broker.port() + ", \"clientId\": \"eco-" + run + "\", \"reconnectIntervalSeconds\": 1, "
                + "\"availabilityTopic\": \"" + status + "\", \"discovery\": " + discovery + "}";
    }

    /** The next message on {@code topic} with {@code payload} (bounded by count and time). */
    private static MqttTestClient.Received until(MqttTestClient c, String topic, String payload) {
        long end = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() < end; i++) {
            MqttTestClient.Received r = c.next(Duration.ofSeconds(1));
            if (r != null && r.topic().equals(topic) && r.payload().equals(payload)) {
                return r;
            }
        }
        return null;
    }

    private static MqttTestClient.Received untilPrefix(MqttTestClient c, String prefix) {
        long end = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() < end; i++) {
            MqttTestClient.Received r = c.next(Duration.ofSeconds(1));
            if (r != null && r.topic().startsWith(prefix) && !r.payload().isEmpty()) {
                return r;
            }
        }
        return null;
    }
}
