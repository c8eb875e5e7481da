package org.bmsmqtt.ra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ManagedConnection;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.inbound.MqttActivationSpec;
import org.bmsmqtt.ra.testing.AdapterHarness;
import org.bmsmqtt.ra.testing.LatchEndpointFactory;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.Specs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbound connections, run-time subscriptions and session status against a real mosquitto. */
class OutboundTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private AdapterHarness harness;
    private Mosquitto broker;

    @BeforeEach
    void start() {
        Peers.require(Peers.mosquittoInstalled(), "mosquitto is not installed (apt-get install mosquitto)");
        harness = new AdapterHarness();
        broker = Mosquitto.onFreePort(Specs.workDir());
    }

    @AfterEach
    void stop() {
        harness.close();
        broker.stop();
    }

    private BrokerSpec spec() {
        return BrokerSpec.of("out", broker.uri(), Specs.clientId("out")).withReconnectInterval(1);
    }

    private LatchEndpointFactory runtimeEndpoint(int expected) throws ResourceException {
        LatchEndpointFactory endpoint = new LatchEndpointFactory(expected);
        MqttActivationSpec runtime = new MqttActivationSpec();
        runtime.setSubscriptionMode(MqttActivationSpec.RUNTIME);
        harness.activate(endpoint, runtime);
        return endpoint;
    }

    @Test
    void run_time_subscriptions_reach_runtime_endpoints_with_the_mqtt5_properties() throws Exception {
        broker.start();
        LatchEndpointFactory endpoint = runtimeEndpoint(1);
        try (MqttConnection c = harness.connectionFactory().getConnection(spec())) {
            c.subscribe("props/#", 1);
            awaitState(c, SessionState.CONNECTED);
            Publication p = Publication.of("props/a", "21.5", 1, false)
                    .withUserProperties(Map.of("origin", "test"))
                    .withContentType("text/plain")
                    .withMessageExpiry(60)
                    .withResponse("props/reply", new byte[] {1, 2, 3});
            publishUntilReceived(c, p, endpoint);
        }
        MqttMessage m = endpoint.received().get(0);
        assertEquals("out", m.broker());
        assertEquals("21.5", m.payloadAsString());
        assertEquals("test", m.userProperties().get("origin"));
        assertEquals("text/plain", m.contentType());
        assertEquals("props/reply", m.responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3}, m.correlationData());
    }

    @Test
    void publications_made_while_the_broker_is_away_are_sent_when_it_comes() throws Exception {
        LatchEndpointFactory endpoint = runtimeEndpoint(2);
        try (MqttConnection c = harness.connectionFactory().getConnection(spec())) {
            c.subscribe("buf/#", 1);
            c.publish(Publication.of("buf/a", "one", 1, false));
            c.publish(Publication.of("buf/a", "two", 1, false));
            assertEquals(2, c.status().buffered());
            broker.start();
            awaitState(c, SessionState.CONNECTED);
            assertTrue(endpoint.await(WAIT), "buffered publications never arrived");
            assertEquals(List.of("one", "two"), endpoint.received().stream().map(MqttMessage::payloadAsString).toList());
            assertEquals(0, c.status().buffered());
        }
    }

    @Test
    void a_full_buffer_is_an_error_to_the_caller_never_a_silent_drop() throws Exception {
        harness.adapter().stop();
        harness = new AdapterHarness(); // default capacity is 1000
        try (MqttConnection c = harness.connectionFactory().getConnection(spec())) {
            for (int i = 0; i < 1000; i++) {
                c.publish(Publication.of("full/a", Integer.toString(i), 1, false));
            }
            ResourceException e = assertThrows(ResourceException.class,
                    () -> c.publish(Publication.of("full/a", "one too many", 1, false)));
            assertTrue(e.getMessage().contains("buffer is full"), e.getMessage());
            assertEquals(1000, c.status().buffered());
        }
    }

    @Test
    void a_buffered_publication_whose_expiry_passed_is_dropped_and_counted() throws Exception {
        LatchEndpointFactory endpoint = runtimeEndpoint(1);
        try (MqttConnection c = harness.connectionFactory().getConnection(spec())) {
            c.subscribe("exp/#", 1);
            c.publish(Publication.of("exp/a", "stale", 1, false).withMessageExpiry(1));
            c.publish(Publication.of("exp/a", "fresh", 1, false).withMessageExpiry(600));
            Thread.sleep(1500);
            broker.start();
            awaitState(c, SessionState.CONNECTED);
            assertTrue(endpoint.await(WAIT));
            assertEquals("fresh", endpoint.received().get(0).payloadAsString());
            assertEquals(1, c.status().expired());
        }
    }

    @Test
    void status_listeners_see_the_states_with_reasons() throws Exception {
        List<SessionStatus> seen = new CopyOnWriteArrayList<>();
        try (MqttConnection c = harness.connectionFactory().getConnection(spec())) {
            c.addStatusListener(seen::add);
            // the first attempt may fail before the listener is added; the next one (every second) is seen
            assertTrue(Specs.eventually(WAIT, () -> seen.stream().anyMatch(x -> x.state() == SessionState.FAILED)),
                    seen.toString());
            assertTrue(c.status().lastError().contains("refused") || c.status().lastError().contains("32103"),
                    c.status().lastError());
            broker.start();
            awaitState(c, SessionState.CONNECTED);
            broker.stop();
            assertTrue(Specs.eventually(WAIT, () -> seen.stream().anyMatch(s -> s.state() == SessionState.DISCONNECTED)));
        }
        List<SessionState> states = seen.stream().map(SessionStatus::state).toList();
        assertTrue(states.contains(SessionState.FAILED) && states.contains(SessionState.CONNECTED), states.toString());
        assertTrue(states.indexOf(SessionState.CONNECTED) < states.lastIndexOf(SessionState.DISCONNECTED), states.toString());
    }

    @Test
    void a_broker_that_stays_down_is_one_log_line_not_one_per_attempt() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getMessage() != null && r.getMessage().startsWith("MQTTRA0002")) {
                    lines.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.bmsmqtt.ra.session.BrokerSession");
        log.addHandler(handler);
        List<SessionStatus> seen = new CopyOnWriteArrayList<>();
        try (MqttConnection c = harness.connectionFactory().getConnection(spec())) {
            c.addStatusListener(seen::add);
            // four attempts, one second apart, all refused
            assertTrue(Specs.eventually(WAIT, () -> seen.stream().filter(x -> x.state() == SessionState.FAILED)
                    .count() >= 4), seen.toString());
            assertEquals(1, lines.size(), "one line for a cause that repeats: " + lines);
            assertTrue(lines.get(0).contains("retrying every 1 s"), lines.get(0));
            broker.start();
            awaitState(c, SessionState.CONNECTED);
            broker.stop();
            int failedBefore = (int) seen.stream().filter(x -> x.state() == SessionState.FAILED).count();
            assertTrue(Specs.eventually(WAIT, () -> seen.stream().filter(x -> x.state() == SessionState.FAILED)
                    .count() >= failedBefore + 2), seen.toString());
            assertEquals(2, lines.size(), "after a recovery the next failure is news again: " + lines);
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void two_sessions_never_share_a_client_id_on_one_broker() throws Exception {
        broker.start();
        BrokerSpec first = spec();
        BrokerSpec other = first.withCredentials("someone", "else");
        try (MqttConnection c = harness.connectionFactory().getConnection(first)) {
            ResourceException e = assertThrows(ResourceException.class,
                    () -> harness.connectionFactory().getConnection(other));
            assertTrue(e.getMessage().contains("already used"), e.getMessage());
        }
    }

    @Test
    void a_closed_session_frees_its_client_id_for_new_settings() throws Exception {
        broker.start();
        BrokerSpec first = spec();
        MqttConnection c = harness.connectionFactory().getConnection(first);
        awaitState(c, SessionState.CONNECTED);
        c.closeSession();
        assertThrows(ResourceException.class, () -> c.publish(Publication.of("x/y", "1", 0, false)));
        try (MqttConnection next = harness.connectionFactory().getConnection(first.withCredentials("u", "p"))) {
            awaitState(next, SessionState.CONNECTED);
        }
    }

    @Test
    void a_dead_session_is_reported_to_the_pool_as_a_connection_error() throws Exception {
        MqttManagedConnectionFactory mcf = new MqttManagedConnectionFactory();
        mcf.setResourceAdapter(harness.adapter());
        ManagedConnection mc = mcf.createManagedConnection(null, new BrokerRequest(spec()));
        List<ConnectionEvent> errors = new CopyOnWriteArrayList<>();
        mc.addConnectionEventListener(new ConnectionEventListener() {
            @Override public void connectionClosed(ConnectionEvent event) { }
            @Override public void localTransactionStarted(ConnectionEvent event) { }
            @Override public void localTransactionCommitted(ConnectionEvent event) { }
            @Override public void localTransactionRolledback(ConnectionEvent event) { }
            @Override public void connectionErrorOccurred(ConnectionEvent event) { errors.add(event); }
        });
        MqttConnection c = (MqttConnection) mc.getConnection(null, null);
        harness.adapter().stop(); // closes every session under the connection
        assertThrows(ResourceException.class, () -> c.publish(Publication.of("dead/a", "x", 1, false)));
        assertEquals(1, errors.size());
        assertEquals(ConnectionEvent.CONNECTION_ERROR_OCCURRED, errors.get(0).getId());
    }

    private static void awaitState(MqttConnection c, SessionState state) {
        assertTrue(Specs.eventually(WAIT, () -> c.status().state() == state), "expected " + state + ": " + c.status());
    }

    /** The subscription is made asynchronously after connect: publish until the first copy arrives. */
    private static void publishUntilReceived(MqttConnection c, Publication p, LatchEndpointFactory endpoint)
            throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            c.publish(p);
            if (endpoint.await(Duration.ofMillis(500))) {
                return;
            }
        }
        throw new AssertionError("nothing received on " + p.topic() + " " + new String(p.payload(), StandardCharsets.UTF_8));
    }
}
