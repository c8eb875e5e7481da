package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.Availability;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.testing.AdapterHarness;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.Specs;
import org.bmsmqtt.ra.testing.TcpProxy;
import org.bmsmqtt.ra.testing.Watcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Birth and last will of a session against a real mosquitto, watched by a plain client. */
class AvailabilityTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String STATUS = "site/bms/status";

    private AdapterHarness harness;
    private Mosquitto broker;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        Peers.require(Peers.mosquittoInstalled(), "mosquitto is not installed (apt-get install mosquitto)");
        harness = new AdapterHarness();
        broker = Mosquitto.onFreePort(Specs.workDir()).start();
        proxy = new TcpProxy(broker.port());
    }

    @AfterEach
    void stop() {
        harness.close();
        proxy.close();
        broker.stop();
    }

    private BrokerSpec spec(String uri, Availability availability) {
        return BrokerSpec.of("avail", uri, Specs.clientId("avail")).withReconnectInterval(1).withAvailability(availability);
    }

    @Test
    void online_after_connect_offline_by_the_will_when_the_connection_dies_and_online_again_after_the_reconnect()
            throws Exception {
        try (MqttConnection c = harness.connectionFactory().getConnection(spec(proxy.uri(), Availability.on(STATUS)))) {
            awaitState(c, SessionState.CONNECTED);
            try (Watcher late = new Watcher(broker.uri(), STATUS)) {
                assertTrue(late.awaitLast(STATUS, "online", WAIT), "birth: " + late.seen());
                assertTrue(late.seen().get(0).retained(), "a consumer subscribing later gets it retained");
            }
            try (Watcher w = new Watcher(broker.uri(), STATUS)) {
                assertTrue(w.awaitLast(STATUS, "online", WAIT));
                proxy.cut(); // the broker sees the connection die without a DISCONNECT
                assertTrue(w.awaitLast(STATUS, "offline", WAIT), "the will: " + w.seen());
                proxy.heal();
                assertTrue(w.awaitLast(STATUS, "online", WAIT), "birth after the reconnect: " + w.seen());
            }
            try (Watcher late = new Watcher(broker.uri(), STATUS)) {
                assertTrue(late.awaitLast(STATUS, "online", WAIT), "retained state after all that: " + late.seen());
            }
        }
    }

    @Test
    void a_clean_close_publishes_offline_retained() throws Exception {
        Availability custom = new Availability(STATUS, "up", "down");
        try (MqttConnection c = harness.connectionFactory().getConnection(spec(broker.uri(), custom));
             Watcher w = new Watcher(broker.uri(), STATUS)) {
            awaitState(c, SessionState.CONNECTED);
            assertTrue(w.awaitLast(STATUS, "up", WAIT), w.seen().toString());
            harness.close(); // the adapter stops: a DISCONNECT, after which the broker discards the will
            assertTrue(w.awaitLast(STATUS, "down", WAIT), "offline on a clean close: " + w.seen());
        }
        try (Watcher late = new Watcher(broker.uri(), STATUS)) {
            assertTrue(late.awaitLast(STATUS, "down", WAIT), "retained: " + late.seen());
        }
        harness = new AdapterHarness();
    }

    @Test
    void off_publishes_no_birth_and_no_will() throws Exception {
        try (Watcher w = new Watcher(broker.uri(), "#")) {
            try (MqttConnection c = harness.connectionFactory().getConnection(spec(proxy.uri(), Availability.OFF))) {
                awaitState(c, SessionState.CONNECTED);
                proxy.cut();
                awaitState(c, SessionState.FAILED, SessionState.DISCONNECTED);
                proxy.heal();
                awaitState(c, SessionState.CONNECTED);
                c.publish(Publication.of("marker", "m", 1, false));
                assertTrue(w.awaitLast("marker", "m", WAIT));
            }
            assertEquals(List.of("marker"), w.seen().stream().map(Watcher.Seen::topic).toList(),
                    "nothing but our own publication: " + w.seen());
        }
    }

    @Test
    void the_availability_is_checked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Availability.on("a/+/status")).getMessage()
                .startsWith("availabilityTopic:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Availability("a", "x", "x")).getMessage()
                .startsWith("payloadOffline:"));
        assertFalse(Availability.OFF.enabled());
        BrokerSpec with = spec(broker.uri(), Availability.on(STATUS));
        assertFalse(with.equals(with.withAvailability(Availability.OFF)), "another availability is another session");
        assertTrue(with.toString().contains("availability=" + STATUS), with.toString());
    }

    private static void awaitState(MqttConnection c, SessionState... states) {
        List<SessionState> wanted = List.of(states);
        assertTrue(Specs.eventually(WAIT, () -> wanted.contains(c.status().state())), "state: " + c.status());
    }
}
