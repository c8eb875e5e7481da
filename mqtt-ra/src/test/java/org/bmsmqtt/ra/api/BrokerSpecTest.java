package org.bmsmqtt.ra.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerSpecTest {

    @Test
    void the_password_never_shows_in_toString() {
        BrokerSpec spec = BrokerSpec.of("b", "tcp://127.0.0.1:1883", "c").withCredentials("user", "s3cret!");
        assertFalse(spec.toString().contains("s3cret!"), spec.toString());
        assertTrue(spec.toString().contains("password=***"));
    }

    @Test
    void specs_differing_in_credentials_are_different_sessions() {
        BrokerSpec a = BrokerSpec.of("b", "tcp://127.0.0.1:1883", "c").withCredentials("u", "p1");
        BrokerSpec b = BrokerSpec.of("b", "tcp://127.0.0.1:1883", "c").withCredentials("u", "p2");
        assertNotEquals(a, b);
        assertEquals(a.endpointKey(), b.endpointKey());
        assertEquals(a, BrokerSpec.of("b", "tcp://127.0.0.1:1883", "c").withCredentials("u", "p1"));
    }

    @Test
    void bad_settings_are_refused_naming_the_field() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BrokerSpec.of("b", "http://x:1", "c")).getMessage().startsWith("serverUri:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BrokerSpec.of("b", "tcp://hostonly", "c")).getMessage().startsWith("serverUri:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BrokerSpec.of("b", "tcp://h:1", " ")).getMessage().startsWith("clientId:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BrokerSpec.of("b", "tcp://h:1", "c").withReconnectInterval(0)).getMessage()
                .startsWith("reconnectIntervalSeconds:"));
    }

    @Test
    void publications_refuse_wildcards_and_bad_qos() {
        assertThrows(IllegalArgumentException.class, () -> Publication.of("a/+", "1", 0, false));
        assertThrows(IllegalArgumentException.class, () -> Publication.of("a/#", "1", 0, false));
        assertThrows(IllegalArgumentException.class, () -> Publication.of("a", "1", 3, false));
        assertThrows(IllegalArgumentException.class, () -> Publication.of("", "1", 0, false));
    }
}
