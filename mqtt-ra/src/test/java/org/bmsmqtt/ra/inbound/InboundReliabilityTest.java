package org.bmsmqtt.ra.inbound;

import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.testing.AdapterHarness;
import org.bmsmqtt.ra.testing.LatchEndpointFactory;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.Publisher;
import org.bmsmqtt.ra.testing.Specs;
import org.bmsmqtt.ra.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inbound delivery against real mosquitto processes: nothing accepted by the broker is lost when the broker restarts
 * or the network is cut, per-topic order holds, a broker down at activation is picked up, failing endpoints retry.
 */
class InboundReliabilityTest {

    static final int MESSAGES = 10_000;
    static final int TOPICS = 50;
    static final Duration WAIT = Duration.ofSeconds(90);

    private AdapterHarness harness;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void start() {
        Peers.require(Peers.mosquittoInstalled(), "mosquitto is not installed (apt-get install mosquitto)");
        harness = new AdapterHarness();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    @Test
    void ten_thousand_qos1_messages_survive_a_broker_restart_in_order() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).withPersistence().start());
        LatchEndpointFactory endpoint = slowEndpoint();
        MqttActivationSpec spec = Specs.activation(broker.uri(), "rel/#");
        harness.activate(endpoint, spec);
        awaitConnected(spec);

        publishAll(broker.uri(), () -> broker.restart());

        assertAllArrivedInOrder(endpoint);
        assertTrue(status(spec).reconnects() >= 1, "the session must have reconnected: " + status(spec));
    }

    @Test
    void ten_thousand_qos1_messages_survive_a_network_cut_in_order() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).start());
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        LatchEndpointFactory endpoint = slowEndpoint();
        MqttActivationSpec spec = Specs.activation(proxy.uri(), "rel/#");
        harness.activate(endpoint, spec);
        awaitConnected(spec);

        publishAll(broker.uri(), () -> {
            proxy.cut();
            Thread.sleep(2000);
            proxy.heal();
        });

        assertAllArrivedInOrder(endpoint);
        assertTrue(status(spec).reconnects() >= 1, "the session must have reconnected: " + status(spec));
    }

    @Test
    void a_broker_down_at_activation_is_connected_to_once_it_comes_up() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()));
        LatchEndpointFactory endpoint = new LatchEndpointFactory(1);
        MqttActivationSpec spec = Specs.activation(broker.uri(), "late/+");
        harness.activate(endpoint, spec); // returns at once although nothing listens
        assertTrue(Specs.eventually(Duration.ofSeconds(10), () -> status(spec).state() == SessionState.FAILED));
        assertTrue(status(spec).reason().contains("refused") || status(spec).reason().contains("32103"),
                status(spec).reason());

        broker.start();
        awaitConnected(spec);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            p.publish("late/x", "hello", 1);
        }
        assertTrue(endpoint.await(WAIT), "the message after the broker came up never arrived");
        assertEquals("hello", endpoint.received().get(0).payloadAsString());
    }

    @Test
    void a_failing_endpoint_is_retried_and_the_message_is_not_lost() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).start());
        AtomicInteger calls = new AtomicInteger();
        LatchEndpointFactory endpoint = new LatchEndpointFactory(1).behaving(m -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("database away");
            }
        });
        MqttActivationSpec spec = Specs.activation(broker.uri(), "retry/+");
        harness.activate(endpoint, spec);
        awaitConnected(spec);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            p.publish("retry/a", "1", 1);
        }
        assertTrue(endpoint.await(WAIT));
        assertEquals(3, calls.get(), "two failures, then delivered");
        assertEquals(0, status(spec).undeliverable());
    }

    @Test
    void an_endpoint_that_always_fails_gives_up_counts_and_goes_on_with_the_next_message() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).start());
        LatchEndpointFactory endpoint = new LatchEndpointFactory(1).behaving(m -> {
            if (m.payloadAsString().equals("poison")) {
                throw new IllegalArgumentException("cannot handle " + m.payloadAsString());
            }
        });
        MqttActivationSpec spec = Specs.activation(broker.uri(), "poison/+");
        harness.activate(endpoint, spec);
        awaitConnected(spec);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            p.publish("poison/a", "poison", 1);
            p.publish("poison/a", "fine", 1);
        }
        assertTrue(endpoint.await(WAIT));
        assertEquals("fine", endpoint.received().get(0).payloadAsString());
        assertTrue(Specs.eventually(Duration.ofSeconds(10), () -> status(spec).undeliverable() == 1), status(spec).toString());
    }

    @Test
    void a_hundred_sessions_at_once_connect_receive_and_publish() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).start());
        int sessions = 100;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(sessions);
        List<MqttActivationSpec> specs = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            MqttActivationSpec spec = Specs.activation(broker.uri(), "hundred/" + i);
            spec.setBrokerName("broker-" + i);
            harness.activate(endpoint, spec);
            specs.add(spec);
        }
        for (MqttActivationSpec spec : specs) {
            awaitConnected(spec);
        }
        // Each session publishes through the outbound API to the topic of the next one.
        for (int i = 0; i < sessions; i++) {
            try (MqttConnection c = harness.connectionFactory().getConnection(specs.get(i).brokerSpec())) {
                c.publish(org.bmsmqtt.ra.api.Publication.of("hundred/" + ((i + 1) % sessions), "from-" + i, 1, false));
            }
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count() + " of " + sessions);
        Set<String> brokers = new HashSet<>();
        for (MqttMessage m : endpoint.received()) {
            brokers.add(m.broker());
        }
        assertEquals(sessions, brokers.size(), "every session received its message");
    }

    /** An endpoint a bit slower than the broker, so a backlog exists when the broker goes away. */
    private static LatchEndpointFactory slowEndpoint() {
        return new LatchEndpointFactory(MESSAGES).behaving(m -> {
            long until = System.nanoTime() + 200_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
    }

    private interface Disruption {
        void run() throws Exception;
    }

    /** Publishes MESSAGES over TOPICS topics, each numbered per topic; disrupts once, halfway. */
    private static void publishAll(String uri, Disruption disruption) throws Exception {
        try (Publisher p = new Publisher(uri, WAIT)) {
            int[] next = new int[TOPICS];
            for (int i = 0; i < MESSAGES; i++) {
                if (i == MESSAGES / 2) {
                    disruption.run();
                }
                int topic = i % TOPICS;
                p.publish("rel/" + topic, Integer.toString(next[topic]++), 1);
            }
        }
    }

    private static void assertAllArrivedInOrder(LatchEndpointFactory endpoint) throws InterruptedException {
        assertTrue(Specs.eventually(WAIT, () -> distinct(endpoint.received()) == MESSAGES),
                "lost messages: " + (MESSAGES - distinct(endpoint.received())) + " of " + MESSAGES);
        // Duplicates are allowed (redelivery after a reconnect); the first arrivals of a topic must be in order.
        Map<String, Integer> lastNew = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (MqttMessage m : endpoint.received()) {
            String key = m.topic() + "#" + m.payloadAsString();
            if (seen.add(key)) {
                int n = Integer.parseInt(m.payloadAsString());
                Integer previous = lastNew.put(m.topic(), n);
                assertEquals(previous == null ? 0 : previous + 1, n, "order broken on " + m.topic());
            }
        }
    }

    private static int distinct(List<MqttMessage> messages) {
        Set<String> keys = new HashSet<>();
        for (MqttMessage m : messages) {
            keys.add(m.topic() + "#" + m.payloadAsString());
        }
        return keys.size();
    }

    private void awaitConnected(MqttActivationSpec spec) {
        assertTrue(Specs.eventually(Duration.ofSeconds(20), () -> status(spec).state() == SessionState.CONNECTED),
                "not connected: " + status(spec));
    }

    private org.bmsmqtt.ra.api.SessionStatus status(MqttActivationSpec spec) {
        try (MqttConnection c = harness.connectionFactory().getConnection(spec.brokerSpec())) {
            return c.status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
