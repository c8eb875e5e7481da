package org.bmsmqtt.bms.cluster;

import org.bmsmqtt.bms.bacnet.BacnetChanged;
import org.bmsmqtt.bms.broker.BrokerChanged;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.integrated.IntegratedBrokerChanged;
import org.bmsmqtt.bms.knx.KnxBindingsChanged;
import org.bmsmqtt.bms.knx.KnxConnectionChanged;
import org.bmsmqtt.bms.security.UsersChanged;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigEventsTest {

    @Test
    void every_change_event_survives_the_trip() {
        List<Object> events = List.of(new DatapointsChanged(42), new ConfigurationImported(Set.of(1L, 7L, 300L)),
                new ConfigurationImported(Set.of()), new BrokerChanged(3, true), new BrokerChanged(4, false),
                new KnxConnectionChanged(5, false), new KnxBindingsChanged(6), new BacnetChanged(null),
                new BacnetChanged(8L), new IntegratedBrokerChanged(true, false), new UsersChanged("anna"),
                new UsersChanged("with\ttab"));
        for (Object e : events) {
            Object back = ConfigEvents.decode(ConfigEvents.encode(e).orElseThrow());
            assertEquals(e, back);
        }
    }

    @Test
    void anything_else_is_not_told() {
        assertEquals(Optional.empty(), ConfigEvents.encode("a string"));
        assertEquals(Optional.empty(), ConfigEvents.encode(new RoleChanged(true, "x")));
    }

    @Test
    void a_broken_or_unknown_text_is_refused_with_the_reason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigEvents.decode("datapoint\tx"))
                .getMessage().contains("datapoint\tx"));
        assertThrows(IllegalArgumentException.class, () -> ConfigEvents.decode("broker\t1"));
        assertThrows(IllegalArgumentException.class, () -> ConfigEvents.decode("broker\t1\tmaybe"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigEvents.decode("certificate\t1"))
                .getMessage().contains("certificate"));
    }
}
