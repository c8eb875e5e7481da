package org.bmsmqtt.bms.broker;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bms.mqtt.server-uri} to the broker "default": what it takes, and a clear refusal naming the key otherwise. */
class DefaultBrokerUriTest {

    private static BrokerSettings of(String uri) {
        return BrokerSettings.fromServerUri(uri, "bms-1", "u", "p", 5);
    }

    @Test
    void tcp_and_ssl_with_their_default_ports() {
        BrokerSettings plain = of("tcp://broker.example:1884");
        assertEquals("broker.example", plain.host());
        assertEquals(1884, plain.port());
        assertEquals(1883, of("tcp://broker").port());
        assertEquals(8883, of("ssl://broker").port());
        assertTrue(of("ssl://broker").tls());
        assertEquals("default", plain.name());
    }

    @Test
    void anything_else_is_refused_naming_the_key() {
        for (String bad : new String[] {"tcp://broker:99999", "broker:1883", "http://broker:80", "tcp://:1883", "tcp://bro ker"}) {
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> of(bad), bad);
            assertEquals("bms.mqtt.server-uri", e.field(), bad);
        }
    }
}
