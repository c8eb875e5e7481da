package org.bmsmqtt.it.thinpath;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.TestEnvironment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thin path on Payara Micro, whoever deployed it: the contract and a broker restart (the run's mosquitto). */
abstract class MicroThinPath extends ThinPathContract {

    @Test
    void the_session_reconnects_after_a_broker_restart_and_resubscribes() {
        String dp = newDatapoint();
        TestEnvironment.mosquitto().stop();
        TestEnvironment.mosquitto().start();
        // The broker lost our subscriptions (no persistence): the session must reconnect and restore them.
        Http.Response r = null;
        long end = System.nanoTime() + WAIT.toNanos();
        try (MqttTestClient device = new MqttTestClient(brokerUri())) {
            while (System.nanoTime() < end) {
                device.publish("bms/" + dp + "/set", "7.25", 1);
                r = api().await("datapoints/" + dp + "/value", x -> Http.present(x.json(), "value"),
                        java.time.Duration.ofSeconds(2));
                if (Http.present(r.json(), "value")) {
                    break;
                }
            }
        }
        assertEquals(200, r.status(), r.body());
        assertTrue(Http.present(r.json(), "value"), "no command got through after the broker restart: " + r.body());
        assertEquals(7.25, r.json().getJsonNumber("value").doubleValue());
    }
}
