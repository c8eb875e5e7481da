package org.bmsmqtt.it.thinpath;

import com.serotonin.bacnet4j.obj.AnalogValueObject;
import com.serotonin.bacnet4j.type.constructed.BACnetArray;
import com.serotonin.bacnet4j.type.enumerated.EngineeringUnits;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.Real;
import org.bmsmqtt.bms.bacnet.BacnetStack;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.PayaraServer;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The EAR (rar + ejb + war) on a full Payara Server 6, deployed with asadmin as the README tells operators.
 * A packaging mistake in the EAR fails here.
 */
@ExtendWith(RequiredPeers.class)
class ThinPathEarOnServerIT extends ThinPathContract {

    private static PayaraServer server;
    private static int brokerPort;

    @BeforeAll
    static void deployEar() {
        Path home = Path.of(System.getProperty("payara.server.home", "target/payara6"));
        Peers.require(PayaraServer.installed(home), "Payara Server is not unpacked at " + home);
        Map<String, String> config = new LinkedHashMap<>();
        // Inside the EAR the adapter is "<application>#<rar module>"; the connection factory says "#mqtt-ra".
        config.put("bms.mqtt.resource-adapter", "bms#mqtt-ra");
        config.put("bms.mqtt.outbound-resource-adapter", "#mqtt-ra");
        config.put("bms.mqtt.server-uri", TestEnvironment.mosquitto().uri());
        config.put("bms.mqtt.client-id", "bms-it-server");
        config.put("bms.mqtt.reconnect-interval", "1");
        config.put("bms.server-id", "bms-it-server");
        config.put("bms.data.dir", TestEnvironment.buildDir().resolve("it-data-server").toString());
        config.putAll(Http.adminConfig());
        brokerPort = Peers.freePort();
        config.put("bms.integrated-broker.port", String.valueOf(brokerPort)); // started at boot (the default)
        server = new PayaraServer(home, TestEnvironment.buildDir().resolve("payara-server-it")).start(config);
        server.deploy(TestEnvironment.buildDir().resolve("bms.ear"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void persistent_values_and_history_survive_a_server_restart() {
        String name = "it-restart-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Http.Response dp = api().postJson("datapoints", "{\"name\": \"" + name + "\", \"dataType\": \"REAL\", "
                + "\"persistent\": true, \"historical\": true}");
        assertEquals(201, dp.status(), dp.body());
        assertEquals(200, api().putJson("datapoints/" + name + "/value", "{\"value\": 17.5}").status());
        assertEquals(200, api().putJson("datapoints/" + name + "/value", "{\"value\": 18.5}").status());
        // written behind: wait until the history shows both, then restart
        assertEquals(2, api().await("datapoints/" + name + "/history",
                x -> x.status() == 200 && x.json(JsonArray.class).size() == 2, WAIT).json(JsonArray.class).size());
        server.restart();
        Http.Response v = api().await("datapoints/" + name + "/value", x -> x.status() == 200, WAIT);
        assertEquals(18.5, v.json().getJsonNumber("value").doubleValue(), v.body());
        assertEquals(2, api().get("datapoints/" + name + "/history").json(JsonArray.class).size());
    }

    /** Role mapping inside the EAR (glassfish-application.xml): a viewer reads, an admin writes, nobody else. */
    @Test
    void roles_are_mapped_inside_the_EAR() {
        String name = "it-viewer-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, api().postJson("users", "{\"username\": \"" + name + "\", \"password\": \"viewer-password-1\", "
                + "\"roles\": [\"bms-viewer\"]}").status());
        Http viewer = api().as(name, "viewer-password-1");
        assertEquals(200, viewer.get("datapoints").status());
        assertEquals(403, viewer.postJson("datapoints", "{\"name\": \"" + name + "\", \"dataType\": \"REAL\"}").status());
        assertEquals(403, viewer.get("users").status());
        Http.Response anonymous = api().anonymous().get("datapoints");
        assertEquals(401, anonymous.status());
        assertEquals("Basic realm=\"bms\"", anonymous.header("WWW-Authenticate").orElse(""));
        assertEquals(204, api().delete("users/" + name).status());
        assertEquals(401, viewer.get("datapoints").status());
    }

    /** The integrated broker (Artemis in the EAR's lib) runs on Payara Server and serves a real client. */
    @Test
    void the_integrated_broker_runs_inside_the_EAR() {
        Http.Response status = api().await("integrated-broker/status",
                x -> x.status() == 200 && x.json().getString("state").equals("RUNNING"), WAIT);
        // the port of bms.integrated-broker.port, stored at the domain's first start (a rerun keeps the data folder)
        int port = status.json().getInt("port");
        String user = "it-ear-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, api().postJson("integrated-broker/users", "{\"username\": \"" + user + "\", \"password\": "
                + "\"ear-broker-password\", \"publish\": [\"ear/#\"], \"subscribe\": [\"ear/#\"]}").status());
        try (org.bmsmqtt.it.support.MqttTestClient c = new org.bmsmqtt.it.support.MqttTestClient(
                "tcp://127.0.0.1:" + port, user, "ear-broker-password")) {
            c.subscribe("ear/#", 1);
            c.publish("ear/x", "42", 1);
            org.bmsmqtt.it.support.MqttTestClient.Received got = c.next(WAIT);
            assertEquals("42", got == null ? null : got.payload());
        }
        assertEquals(204, api().delete("integrated-broker/users/" + user).status());
    }

    /**
     * BACnet (BACnet4J in the EAR's lib) on Payara Server against a BACnet4J device this test runs on 127.0.0.2:
     * discovery with object names, a COV change reaching the datapoint, a datapoint write at the binding's priority.
     */
    @Test
    void bacnet_runs_inside_the_EAR() throws Exception {
        int port = bacnetPort();
        BacnetStack device = BacnetStack.open(270001, "ear-device",
                "127.0.0.2", "127.255.255.255", port);
        try {
            var av = new AnalogValueObject(device.device(), 0, "ear-av0", 20f,
                    EngineeringUnits.degreesCelsius, false)
                    .supportCommandable(0f).supportCovReporting(0f);
            device.device().sendGlobalBroadcast(device.device().getIAm());
            assertEquals(200, api().putJson("bacnet/network", "{\"deviceInstance\": 270000, \"deviceName\": "
                    + "\"bms-ear\", \"port\": " + port + ", \"bindAddress\": \"127.0.0.1\", \"broadcastAddress\": "
                    + "\"127.255.255.255\"}").status());
            Http.Response objects = api().await("bacnet/devices/270001/objects", x -> x.status() == 200
                    && x.body().contains("\"name\":\"ear-av0\""), WAIT);
            assertEquals(200, objects.status(), objects.body());
            String name = "it-ear-bacnet-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            assertEquals(201, api().postJson("datapoints", "{\"name\": \"" + name + "\", \"dataType\": \"REAL\", "
                    + "\"accessMode\": \"READ_WRITE\"}").status());
            Http.Response binding = api().postJson("bacnet/bindings", "{\"datapoint\": \"" + name + "\", "
                    + "\"deviceInstance\": 270001, \"objectType\": \"analog-value\", \"objectInstance\": 0, "
                    + "\"writePriority\": 7}");
            assertEquals(201, binding.status(), binding.body());
            long id = binding.json().getJsonNumber("id").longValue();
            api().await("bacnet/bindings/" + id + "/status", x -> x.status() == 200
                    && "COV".equals(x.json().getString("mode")), WAIT);
            av.writePropertyInternal(PropertyIdentifier.presentValue,
                    new Real(23.5f));
            Http.Response v = api().await("datapoints/" + name + "/value", x -> x.status() == 200
                    && x.json().getJsonNumber("value") != null && x.json().getJsonNumber("value").doubleValue() == 23.5,
                    WAIT);
            assertEquals(23.5, v.json().getJsonNumber("value").doubleValue(), v.body());
            assertEquals(200, api().putJson("datapoints/" + name + "/value", "{\"value\": 19}").status());
            long end = System.nanoTime() + WAIT.toNanos();
            String at7 = "";
            while (System.nanoTime() < end && !at7.equals("PriorityValue(19.0)")) {
                BACnetArray<?> array = av.readProperty(
                        PropertyIdentifier.priorityArray);
                at7 = array.getBase1(7).toString();
                Thread.sleep(100);
            }
            assertEquals("PriorityValue(19.0)", at7);
            assertEquals(204, api().delete("datapoints/" + name).status());
        } finally {
            api().delete("bacnet/network");
            device.close();
        }
    }

    private static int bacnetPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(
                InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }

    @Override
    Http api() {
        return new Http(URI.create("http://127.0.0.1:" + server.httpPort() + "/bms/api/v1/"));
    }
}
