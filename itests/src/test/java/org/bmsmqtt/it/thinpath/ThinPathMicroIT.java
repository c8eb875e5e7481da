package org.bmsmqtt.it.thinpath;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MqttTestClient;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thin path on Payara Micro: mqtt-ra.rar (post-boot) + bms.war, on H2 or PostgreSQL (Maven runs this class
 * once per database).
 */
@ExtendWith(RequiredPeers.class)
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ThinPathMicroIT extends ThinPathContract {

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive bms() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, TestEnvironment.buildDir().resolve("bms.war").toFile());
    }

    @Override
    Http api() {
        // The container reports the machine's external address; the server listens on all of them.
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }

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
