package org.bmsmqtt.ra.inbound;

import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
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
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscriptions an earlier run left in the persistent session (clean start is off): the earlier run here is the adapter
 * itself, connected through a {@link TcpProxy} that is cut before the adapter stops, so it cannot unsubscribe - as after
 * a crash or a redeploy with other topics. Against a real mosquitto (2.0 sends MQTT 5 clients one copy per overlapping
 * subscription, each with its own subscription identifier).
 */
class StaleSubscriptionTest {

    static final Duration WAIT = Duration.ofSeconds(60);

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

    /**
     * A message matching only the old subscription reaches no endpoint (every message is matched against the
     * session's own subscriptions); one matching both the old "stale/#" and the current "stale/wanted" arrives once:
     * the old subscription's copy carries an identifier of none of the session's subscriptions and is dropped.
     */
    @Test
    void a_stale_overlapping_subscription_yields_no_duplicate() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).start());
        String clientId = crashAfterSubscribing(broker, "stale/#", "stale/probe");

        LatchEndpointFactory endpoint = new LatchEndpointFactory(2);
        MqttActivationSpec now = Specs.activation(broker.uri(), "stale/wanted");
        now.setClientId(clientId); // the same client: the broker resumes the old session with stale/#
        harness.activate(endpoint, now);
        awaitConnected(now);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            p.publish("stale/other", "only the old subscription matches", 1);
            p.publish("stale/wanted", "1", 1);
            p.publish("stale/wanted", "2", 1);
            p.publish("stale/end", "end", 1); // after this one arrived at the session, every earlier copy has too
        }
        assertTrue(endpoint.await(WAIT), "the wanted messages did not arrive");
        assertTrue(Specs.eventually(WAIT, () -> status(now).received() >= 6),
                "the old subscription is in place (6 PUBLISH: 3 of its own, 2 copies, the end marker): " + status(now));
        List<String> got = endpoint.received().stream().map(MqttMessage::payloadAsString).toList();
        assertEquals(List.of("1", "2"), got, "in order, once each, nothing of the old subscription's own: " + got);
    }

    /**
     * The other side: messages the broker queued while the adapter was away carry the identifier the earlier run gave
     * the filter; a run with the same filter gives it the same identifier, so none is taken for a stale copy.
     */
    @Test
    void messages_queued_while_the_adapter_was_away_arrive_after_a_restart_with_the_same_subscription() throws Exception {
        Mosquitto broker = closing(Mosquitto.onFreePort(Specs.workDir()).start());
        String clientId = crashAfterSubscribing(broker, "queued/+", "queued/probe");
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            for (int i = 0; i < 20; i++) {
                p.publish("queued/" + (i % 2), Integer.toString(i), 1);
            }
        }
        LatchEndpointFactory endpoint = new LatchEndpointFactory(20);
        MqttActivationSpec now = Specs.activation(broker.uri(), "queued/+");
        now.setClientId(clientId);
        harness.activate(endpoint, now);
        assertTrue(endpoint.await(WAIT), "queued messages lost: " + endpoint.count() + " of 20 arrived");
        List<String> payloads = endpoint.received().stream().map(MqttMessage::payloadAsString).distinct().toList();
        assertTrue(payloads.containsAll(IntStream.range(0, 20).mapToObj(Integer::toString).toList()), payloads.toString());
    }

    /** Subscribes {@code filter} through a proxy, proves it in place, cuts the network and stops: returns the client id. */
    private String crashAfterSubscribing(Mosquitto broker, String filter, String probeTopic) throws Exception {
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        MqttActivationSpec earlier = Specs.activation(proxy.uri(), filter);
        earlier.setReconnectIntervalSeconds(3600); // the cut stays a crash: no reconnect that could unsubscribe later
        LatchEndpointFactory probe = new LatchEndpointFactory(1);
        harness.activate(probe, earlier);
        awaitConnected(earlier);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            for (int i = 0; i < 50 && !probe.await(Duration.ofMillis(200)); i++) {
                p.publish(probeTopic, "probe", 1); // until the filter is subscribed
            }
        }
        assertTrue(probe.await(WAIT), "the earlier run's subscription is in place");
        proxy.cut();
        assertTrue(Specs.eventually(WAIT, () -> status(earlier).state() != SessionState.CONNECTED),
                "the cut was not noticed: " + status(earlier));
        harness.close(); // not connected: no UNSUBSCRIBE goes out; the broker keeps the session and the filter
        harness = new AdapterHarness();
        return earlier.getClientId();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    private void awaitConnected(MqttActivationSpec spec) {
        assertTrue(Specs.eventually(Duration.ofSeconds(20), () -> status(spec).state() == SessionState.CONNECTED),
                "not connected: " + status(spec));
    }

    private SessionStatus status(MqttActivationSpec spec) {
        try (MqttConnection c = harness.connectionFactory().getConnection(spec.brokerSpec())) {
            return c.status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
