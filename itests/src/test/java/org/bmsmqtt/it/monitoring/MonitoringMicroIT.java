package org.bmsmqtt.it.monitoring;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.Secrets;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Monitoring as an operator sees it, on Payara Micro: the server's own {@code /health} and {@code /metrics}
 * (no credentials), and the BMS MBeans through the JVM's JMX connector, the way JConsole connects to a local JVM.
 * Brokers are mosquittos this test starts, added and deleted through the admin API while the server runs.
 * <p>
 * The database is shared with the other *MicroIT classes, whose stored brokers may be down by now: the overall
 * readiness is not asserted as UP, only the checks of this test's brokers.
 */
@ExtendWith(RequiredPeers.class)
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-.*",
        disabledReason = "runs in the micro-h2 and micro-postgres executions (-Dit.test reaches every execution)")
class MonitoringMicroIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<Mosquitto> brokers = new ArrayList<>();

    URL deployment = SharedMicro.deployment();

    private JMXConnector jmx;

    @AfterEach
    void closeJmx() throws IOException {
        if (jmx != null) {
            jmx.close();
        }
    }

    @AfterAll
    static void stopBrokers() {
        brokers.forEach(Mosquitto::stop);
    }

    // --- tests ---------------------------------------------------------------------------------------------------

    @Test
    void readiness_has_a_check_per_broker_that_goes_down_when_its_broker_stops_and_up_after_a_restart() {
        Mosquitto m = newMosquitto();
        String name = unique("ready");
        long id = addBroker(name, m, "");
        String check = "broker:" + name;

        JsonObject up = awaitCheck(check, c -> "UP".equals(c.getString("status")));
        assertEquals("UP", up.getString("status"), up.toString());
        assertEquals("CONNECTED", up.getJsonObject("data").getString("state"), up.toString());
        assertEquals(String.valueOf(id), up.getJsonObject("data").getString("brokerId"), up.toString());

        m.stop();
        JsonObject down = awaitCheck(check, c -> "DOWN".equals(c.getString("status")));
        assertEquals("DOWN", down.getString("status"), "the broker is stopped: " + down);
        assertNotEquals("CONNECTED", down.getJsonObject("data").getString("state"), down.toString());
        assertFalse(down.getJsonObject("data").getString("reason").isBlank(), "a DOWN broker says why: " + down);
        Http.Response ready = server().get("health/ready");
        assertEquals(503, ready.status(), "a broker check is DOWN, so readiness is: " + ready.body());
        assertEquals("DOWN", ready.json().getString("status"), ready.body());

        m.start(); // same port: the session reconnects at its interval
        JsonObject again = awaitCheck(check, c -> "UP".equals(c.getString("status")));
        assertEquals("UP", again.getString("status"), "the broker is back: " + again);

        assertEquals(204, api().delete("brokers/" + id).status());
        Http.Response gone = server().await("health/ready", r -> check(r, check).isEmpty(), WAIT);
        assertTrue(check(gone, check).isEmpty(), "a deleted broker keeps its check: " + gone.body());
    }

    @Test
    void health_reports_the_database_the_history_queue_and_the_engine_without_credentials() {
        Http.Response ready = server().await("health/ready",
                r -> check(r, "database").map(c -> "UP".equals(c.getString("status"))).orElse(false), WAIT);
        JsonObject db = check(ready, "database").orElseThrow(() -> new AssertionError("no database check: "
                + ready.body()));
        assertEquals("UP", db.getString("status"), db.toString());
        assertTrue(db.getJsonObject("data").containsKey("database"), db.toString());

        JsonObject queue = check(ready, "history-queue").orElseThrow(() -> new AssertionError(ready.body()));
        assertEquals("UP", queue.getString("status"), queue.toString());
        assertTrue(Long.parseLong(queue.getJsonObject("data").getString("capacity")) > 0, queue.toString());
        assertTrue(queue.getJsonObject("data").containsKey("depth"), queue.toString());
        assertTrue(queue.getJsonObject("data").containsKey("refused"), queue.toString());

        Http.Response live = server().get("health/live");
        assertEquals(200, live.status(), live.body());
        assertEquals("UP", check(live, "engine").orElseThrow().getString("status"), live.body());

        // Every check once: the per-broker checks added at run time are not registered twice.
        Http.Response all = server().get("health");
        List<String> names = all.json().getJsonArray("checks").stream()
                .map(c -> c.asJsonObject().getString("name")).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "a check appears twice: " + names);
        assertTrue(names.containsAll(List.of("engine", "database", "history-queue", "brokers")), names.toString());
    }

    @Test
    void metrics_count_messages_in_and_out_per_broker_and_rejected_inputs() {
        Mosquitto m = newMosquitto();
        String name = unique("metrics");
        long id = addBroker(name, m, "");
        String dp = unique("dp");
        assertEquals(201, api().postJson("datapoints", "{\"name\": \"" + dp + "\", \"path\": \"it/monitoring/" + dp
                + "\", \"dataType\": \"REAL\"}").status());
        assertEquals(201, api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + id
                + ", \"commandTopic\": \"mon/" + dp + "/set\", \"reportTopic\": \"mon/" + dp + "/state\"}").status());
        double rejectedBefore = metric("bms_engine_rejected", null).orElse(0);

        int sent = 0;
        try (MqttTestClient device = new MqttTestClient(m.uri())) {
            sent += commandUntilAccepted(device, "mon/" + dp + "/set", dp);
            for (int i = 1; i <= 5; i++) {
                device.publish("mon/" + dp + "/set", String.valueOf(i), 1);
            }
            device.publish("mon/" + dp + "/set", "not-a-number", 1);
        }
        // Commands are confirmed on the report topic; a write through the API is reported too.
        assertEquals(200, api().putJson("datapoints/" + dp + "/value", "{\"value\": 42}").status());
        int expectedIn = 5 + 1 + 1; // the accepted command, five more, one bad payload (earlier tries may be lost)
        OptionalDouble in = awaitMetric("bms_broker_messages_received", name, v -> v >= expectedIn);
        assertTrue(in.orElse(0) >= expectedIn && in.orElse(0) <= sent + 6,
                "messages in for " + name + ": " + in + ", sent " + (sent + 6));
        OptionalDouble out = awaitMetric("bms_broker_messages_published", name, v -> v >= 1);
        assertTrue(out.orElse(0) >= 1, "the API write was reported on " + name + ": " + out);
        OptionalDouble rejected = awaitMetric("bms_engine_rejected", null, v -> v > rejectedBefore);
        assertTrue(rejected.orElse(0) > rejectedBefore, "the bad payload is counted: " + rejected);
        assertTrue(metric("bms_engine_accepted", null).orElse(0) >= 6, "accepted values");
        assertEquals(1.0, metric("bms_broker_connected", name).orElse(-1), "connected gauge of " + name);
        assertTrue(metric("bms_history_queue_capacity", null).orElse(0) > 0, "history queue capacity");
        assertTrue(metric("bms_history_lag_seconds", null).isPresent(), "history lag");
        assertTrue(metric("bms_history_written", null).isPresent(), "history rows written");
        assertTrue(metric("bms_history_refused", null).isPresent(), "history rows refused");
    }

    @Test
    void a_broker_added_at_run_time_has_metrics_and_an_mbean_until_it_is_deleted_and_its_password_shows_nowhere()
            throws Exception {
        Mosquitto m = newMosquitto();
        String name = unique("jmx");
        String secret = Secrets.register("pw-" + UUID.randomUUID());
        long id = addBroker(name, m, ", \"username\": \"bms\", \"password\": \"" + secret + "\"");
        ObjectName mbean = new ObjectName("org.bmsmqtt:type=BrokerSession,name=" + name);

        MBeanServerConnection server = jmx();
        assertTrue(awaitTrue(() -> registered(server, mbean)), mbean + " was not registered");
        assertTrue(awaitTrue(() -> "CONNECTED".equals(attribute(server, mbean, "State"))),
                "State of " + mbean + ": " + attribute(server, mbean, "State"));
        assertEquals(id, server.getAttribute(mbean, "BrokerId"));
        assertEquals(name, server.getAttribute(mbean, "Broker"));
        // availability is on by default: the session's first and only publication is its birth ("online")
        assertTrue(awaitTrue(() -> Long.valueOf(1).equals(attribute(server, mbean, "Published"))),
                "Published of a new session (its birth): " + attribute(server, mbean, "Published"));
        for (String counter : List.of("Received", "Reconnects", "Dropped", "Undeliverable", "Buffered")) {
            assertEquals(0L, server.getAttribute(mbean, counter), counter + " of a new session");
        }
        try (MqttTestClient device = new MqttTestClient(m.uri())) {
            // Nothing subscribes this topic: the session only receives what it subscribed, so publish to the
            // command topic of a datapoint bound to this broker.
            String dp = unique("dp");
            assertEquals(201, api().postJson("datapoints", "{\"name\": \"" + dp + "\", \"path\": \"it/jmx/" + dp
                    + "\", \"dataType\": \"REAL\"}").status());
            assertEquals(201, api().postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + id
                    + ", \"commandTopic\": \"jmx/" + dp + "/set\"}").status());
            commandUntilAccepted(device, "jmx/" + dp + "/set", dp);
        }
        assertTrue(awaitTrue(() -> ((Long) attribute(server, mbean, "Received")) >= 1), "Received of " + mbean);
        ObjectName engine = new ObjectName("org.bmsmqtt:type=Engine,name=bms");
        assertTrue(((Long) server.getAttribute(engine, "Accepted")) >= 1, "engine MBean Accepted");
        assertTrue(((Integer) server.getAttribute(engine, "HistoryQueueCapacity")) > 0, "engine MBean capacity");
        assertTrue(metric("bms_broker_messages_received", name).isPresent(), "metrics of " + name);

        String everything = server().get("health").body() + server().get("metrics").body() + mbeanText(server);
        assertFalse(everything.contains(secret), "the broker's password appears in health, metrics or an MBean");

        assertEquals(204, api().delete("brokers/" + id).status());
        assertTrue(awaitTrue(() -> !registered(server, mbean)), mbean + " stays after the broker was deleted");
        assertTrue(awaitTrue(() -> metric("bms_broker_messages_received", name).isEmpty()),
                "the metrics of a deleted broker stay");
        assertTrue(registered(server, engine), "the engine MBean stays");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** The server root: /health and /metrics are the server's own, outside the application. */
    Http server() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + "/"));
    }

    Http api() {
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Mosquitto newMosquitto() {
        Mosquitto m = Mosquitto.onFreePort(TestEnvironment.buildDir()).start();
        brokers.add(m);
        return m;
    }

    long addBroker(String name, Mosquitto m, String extra) {
        Http.Response r = api().postJson("brokers", "{\"name\": \"" + name + "\", \"host\": \"127.0.0.1\", \"port\": "
                + m.port() + ", \"clientId\": \"" + name + "\", \"reconnectIntervalSeconds\": 1" + extra + "}");
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    /** Publishes 21.5 until the datapoint has it (the subscription follows the binding); returns how many were sent. */
    int commandUntilAccepted(MqttTestClient device, String topic, String dp) {
        long end = System.nanoTime() + WAIT.toNanos();
        int sent = 0;
        while (System.nanoTime() < end) {
            device.publish(topic, "21.5", 1);
            sent++;
            Http.Response r = api().await("datapoints/" + dp + "/value", x -> Http.present(x.json(), "value"),
                    Duration.ofSeconds(1));
            if (Http.present(r.json(), "value")) {
                return sent;
            }
        }
        throw new AssertionError("no command on " + topic + " reached " + dp);
    }

    /** The check named {@code name} in a health response, if there. */
    static Optional<JsonObject> check(Http.Response health, String name) {
        if (!health.contentType().startsWith("application/json")) {
            return Optional.empty();
        }
        return health.json().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> name.equals(c.getString("name"))).findFirst();
    }

    JsonObject awaitCheck(String name, Predicate<JsonObject> done) {
        Http.Response r = server().await("health/ready", x -> check(x, name).map(done::test).orElse(false), WAIT);
        return check(r, name).orElseThrow(() -> new AssertionError("no check " + name + " in " + r.body()));
    }

    /** One sample of the application metrics in Prometheus text, by name and (optionally) broker tag. */
    OptionalDouble metric(String name, String broker) {
        Http.Response r = server().get("metrics?scope=application");
        assertEquals(200, r.status(), r.body());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            String metric = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (metric.equals(name) && (broker == null || key.contains("broker=\"" + broker + "\""))) {
                return OptionalDouble.of(Double.parseDouble(line.substring(space + 1)));
            }
        }
        return OptionalDouble.empty();
    }

    OptionalDouble awaitMetric(String name, String broker, Predicate<Double> done) {
        OptionalDouble last = metric(name, broker);
        long end = System.nanoTime() + WAIT.toNanos();
        while ((last.isEmpty() || !done.test(last.getAsDouble())) && System.nanoTime() < end) {
            pause();
            last = metric(name, broker);
        }
        return last;
    }

    static boolean awaitTrue(Supplier<Boolean> condition) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > end) {
                return false;
            }
            pause();
        }
        return true;
    }

    /**
     * Connects to the shared Payara Micro as JConsole connects to a local JVM: attach to its process, start the JVM's
     * local JMX connector, connect to its address (no fixed remote JMX port to collide with another run's).
     */
    MBeanServerConnection jmx() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(SharedMicro.pid()));
        try {
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()), Map.of());
        } finally {
            vm.detach();
        }
        return jmx.getMBeanServerConnection();
    }

    static boolean registered(MBeanServerConnection server, ObjectName name) {
        try {
            return server.isRegistered(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object attribute(MBeanServerConnection server, ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (Exception e) {
            return null;
        }
    }

    /** Every attribute of every BMS MBean, as text. */
    static String mbeanText(MBeanServerConnection server) throws Exception {
        StringBuilder all = new StringBuilder();
        for (ObjectName n : server.queryNames(new ObjectName("org.bmsmqtt:*"), null)) {
            all.append(n).append('\n');
            for (MBeanAttributeInfo a : server.getMBeanInfo(n).getAttributes()) {
                all.append(a.getName()).append('=').append(attribute(server, n, a.getName())).append('\n');
            }
        }
        return all.toString();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
