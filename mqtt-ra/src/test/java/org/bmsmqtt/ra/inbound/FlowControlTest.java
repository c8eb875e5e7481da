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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Back-pressure through the MQTT receive maximum, and QoS 2 with manual acknowledgements. */
class FlowControlTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private AdapterHarness harness;
    private Mosquitto broker;

    @BeforeEach
    void start() {
        Peers.require(Peers.mosquittoInstalled(), "mosquitto is not installed (apt-get install mosquitto)");
        harness = new AdapterHarness();
        broker = Mosquitto.onFreePort(Specs.workDir()).start();
    }

    @AfterEach
    void stop() {
        harness.close();
        broker.stop();
    }

    @Test
    void a_stuck_endpoint_holds_at_most_receive_maximum_messages_in_memory() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        LatchEndpointFactory endpoint = new LatchEndpointFactory(100).behaving(m -> {
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        MqttActivationSpec spec = Specs.activation(broker.uri(), "flow/+");
        spec.setReceiveMaximum(10);
        harness.activate(endpoint, spec);
        awaitConnected(spec);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            for (int i = 0; i < 100; i++) {
                p.publish("flow/" + (i % 5), Integer.toString(i), 1);
            }
        }
        Thread.sleep(1000); // give the broker every chance to push more than it may
        assertEquals(10, status(spec).received(), "the broker may have only receive-maximum messages in flight");
        gate.countDown();
        assertTrue(endpoint.await(WAIT), "after the endpoint recovered, all 100 must arrive: " + endpoint.count());
    }

    @Test
    void messages_wait_calmly_for_a_runtime_endpoint_that_is_not_there_yet() throws Exception {
        org.bmsmqtt.ra.api.BrokerSpec spec = org.bmsmqtt.ra.api.BrokerSpec.of("late", broker.uri(), Specs.clientId("late"));
        try (MqttConnection c = harness.connectionFactory().getConnection(spec)) {
            c.subscribe("wait/+", 1);
            assertTrue(Specs.eventually(WAIT, () -> c.status().state() == SessionState.CONNECTED));
            Thread.sleep(300); // let the subscription reach the broker
            try (Publisher p = new Publisher(broker.uri(), WAIT)) {
                p.publish("wait/a", "held", 1);
            }
            assertTrue(Specs.eventually(WAIT, () -> c.status().received() == 1));
            long before = harness.scheduledWorks();
            Thread.sleep(1500);
            assertTrue(harness.scheduledWorks() - before < 20,
                    "a lane without an endpoint must retry calmly, not spin: " + (harness.scheduledWorks() - before));
            LatchEndpointFactory endpoint = new LatchEndpointFactory(1);
            MqttActivationSpec runtime = new MqttActivationSpec();
            runtime.setSubscriptionMode(MqttActivationSpec.RUNTIME);
            harness.activate(endpoint, runtime);
            assertTrue(endpoint.await(WAIT), "the held message must reach the endpoint once it is active");
            assertEquals("held", endpoint.received().get(0).payloadAsString());
        }
    }

    @Test
    void a_steady_flow_reuses_each_lanes_work_and_endpoint_instead_of_one_per_message() throws Exception {
        int messages = 1000;
        LatchEndpointFactory endpoint = new LatchEndpointFactory(messages);
        MqttActivationSpec spec = Specs.activation(broker.uri(), "steady/+");
        harness.activate(endpoint, spec);
        awaitConnected(spec);
        long worksBefore = harness.scheduledWorks();
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            for (int i = 0; i < messages; i++) {
                p.publish("steady/" + (i % 4), Integer.toString(i), 1);
                Thread.sleep(1); // about 1,000 msg/s: a lane is empty between two messages
            }
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count() + " of " + messages);
        long works = harness.scheduledWorks() - worksBefore;
        // One Work (and one endpoint) per lane while the flow lasts; a pause longer than a lane's linger on a busy
        // machine starts another. One per message would be about 1,000.
        assertTrue(works < messages / 10, "Works scheduled for " + messages + " messages: " + works);
        assertTrue(endpoint.createdEndpoints() < messages / 10, "endpoints created: " + endpoint.createdEndpoints());
    }

    @ParameterizedTest(name = "endpoint refuses batches: {0}")
    @ValueSource(booleans = {false, true})
    void messages_that_waited_go_to_the_endpoint_in_batches_in_order(boolean refusing) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        LatchEndpointFactory endpoint = new LatchEndpointFactory(300).behaving(m -> {
            if (m.payloadAsString().equals("0")) {
                try {
                    gate.await(60, TimeUnit.SECONDS); // the others queue up behind it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        if (refusing) {
            endpoint.refusingBatches();
        }
        MqttActivationSpec spec = Specs.activation(broker.uri(), "batch/+");
        spec.setDeliveryLanes(1);
        harness.activate(endpoint, spec);
        awaitConnected(spec);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            for (int i = 0; i < 300; i++) {
                p.publish("batch/" + (i % 3), Integer.toString(i), 1);
            }
        }
        assertTrue(Specs.eventually(WAIT, () -> status(spec).received() >= 100), "queued behind the first");
        gate.countDown();
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count() + " of 300");
        Thread.sleep(300);
        List<MqttMessage> got = endpoint.received();
        assertEquals(300, got.size(), "each once");
        for (int t = 0; t < 3; t++) {
            String topic = "batch/" + t;
            List<Integer> order = got.stream().filter(m -> m.topic().equals(topic))
                    .map(m -> Integer.parseInt(m.payloadAsString())).toList();
            assertEquals(order.stream().sorted().toList(), order, "order on " + topic);
        }
        if (refusing) {
            assertEquals(0, endpoint.batches(), "all one by one");
        } else {
            assertTrue(endpoint.batches() >= 1, "messages that waited together went in batches");
        }
        assertEquals(0, status(spec).undeliverable());
    }

    @Test
    void qos2_messages_are_delivered_once_each_and_acknowledged() throws Exception {
        LatchEndpointFactory endpoint = new LatchEndpointFactory(200);
        MqttActivationSpec spec = Specs.activation(broker.uri(), "q2/+");
        spec.setQos(2);
        harness.activate(endpoint, spec);
        awaitConnected(spec);
        try (Publisher p = new Publisher(broker.uri(), WAIT)) {
            for (int i = 0; i < 200; i++) {
                p.publish("q2/" + (i % 4), Integer.toString(i), 2);
            }
        }
        assertTrue(endpoint.await(WAIT), "received " + endpoint.count() + " of 200");
        Thread.sleep(500);
        List<MqttMessage> got = endpoint.received();
        assertEquals(200, got.size(), "no duplicates expected without a reconnect");
        assertTrue(got.stream().allMatch(m -> m.qos() == 2));
        // Acknowledged: after a reconnect the broker does not send them again.
        harness.deactivate(endpoint, spec);
        LatchEndpointFactory again = new LatchEndpointFactory(1);
        harness.activate(again, spec);
        awaitConnected(spec);
        Thread.sleep(1000);
        assertEquals(0, again.count(), "the broker redelivered QoS 2 messages that were acknowledged");
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
