package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacnetSettingsTest {

    @Test
    void objectTypesInEverySpelling() {
        assertEquals(BacnetObjectType.ANALOG_VALUE, BacnetObjectType.parse("analog-value", "t"));
        assertEquals(BacnetObjectType.ANALOG_VALUE, BacnetObjectType.parse("analogValue", "t"));
        assertEquals(BacnetObjectType.MULTI_STATE_OUTPUT, BacnetObjectType.parse("MULTI_STATE_OUTPUT", "t"));
        assertEquals(BacnetObjectType.BINARY_INPUT, BacnetObjectType.parse(" Binary-Input ", "t"));
        refused("objectType", () -> BacnetObjectType.parse("trend-log", "objectType"));
        refused("objectType", () -> BacnetObjectType.parse("", "objectType"));
    }

    @Test
    void bindingDefaults() {
        BacnetBindingSettings s = BacnetBindingSettings.of(2002, "analog-value", 0, null, null, null, null, null, null);
        assertEquals(PropertyIdentifier.presentValue, s.property());
        assertEquals(16, s.writePriority());
        assertTrue(s.cov());
        assertFalse(s.covConfirmed());
        assertNull(s.covIncrement());
        assertEquals(60, s.pollSeconds());
        assertNull(BacnetBindingSettings.of(1, "analog-input", 0, null, 8, null, null, null, null).writePriority(),
                "inputs take no priority");
    }

    @Test
    void properties() {
        assertEquals(PropertyIdentifier.presentValue, BacnetBindingSettings.parseProperty("present-value", "p"));
        assertEquals(PropertyIdentifier.outOfService, BacnetBindingSettings.parseProperty("outOfService", "p"));
        assertEquals("present-value", BacnetBindingSettings.propertyText(PropertyIdentifier.presentValue));
        assertEquals("out-of-service", BacnetBindingSettings.propertyText(PropertyIdentifier.outOfService));
        refused("property", () -> BacnetBindingSettings.parseProperty("present-valeu", "property"));
    }

    @Test
    void bindingRangesNameTheField() {
        refused("deviceInstance", () -> BacnetBindingSettings.of(-1, "analog-value", 0, null, null, null, null, null, null));
        refused("deviceInstance", () -> BacnetBindingSettings.of(4194303, "analog-value", 0, null, null, null, null, null, null));
        refused("deviceInstance", () -> BacnetBindingSettings.of(null, "analog-value", 0, null, null, null, null, null, null));
        refused("objectInstance", () -> BacnetBindingSettings.of(1, "analog-value", 4194303, null, null, null, null, null, null));
        refused("writePriority", () -> BacnetBindingSettings.of(1, "analog-value", 0, null, 0, null, null, null, null));
        refused("writePriority", () -> BacnetBindingSettings.of(1, "analog-value", 0, null, 17, null, null, null, null));
        refused("covIncrement", () -> BacnetBindingSettings.of(1, "analog-value", 0, null, null, null, null, -0.1, null));
        refused("covIncrement", () -> BacnetBindingSettings.of(1, "analog-value", 0, null, null, null, null, Double.NaN, null));
        refused("covIncrement", () -> BacnetBindingSettings.of(1, "binary-value", 0, null, null, null, null, 1.0, null));
        refused("pollSeconds", () -> BacnetBindingSettings.of(1, "analog-value", 0, null, null, null, null, null, 0));
        assertEquals(0.0, BacnetBindingSettings.of(1, "analog-value", 0, null, 1, null, null, 0.0, 86400).covIncrement());
    }

    @Test
    void dataTypeMustHoldTheValues() {
        BacnetBindingSettings binary = BacnetBindingSettings.of(1, "binary-value", 0, null, null, null, null, null, null);
        binary.checkDataType(DataType.BOOLEAN);
        refused("objectType", () -> binary.checkDataType(DataType.REAL));
        BacnetBindingSettings.of(1, "multi-state-value", 0, null, null, null, null, null, null).checkDataType(DataType.INTEGER);
        // another property than present-value: not checked (its type depends on the property)
        BacnetBindingSettings.of(1, "binary-value", 0, "out-of-service", null, null, null, null, null).checkDataType(DataType.REAL);
    }

    @Test
    void network() {
        BacnetNetworkSettings n = BacnetNetworkSettings.of(1001, " bms ", null, null, "127.255.255.255", null);
        assertEquals(47808, n.port());
        assertEquals("0.0.0.0", n.bindAddress());
        assertEquals("bms", n.deviceName());
        assertTrue(n.enabled());
        refused("broadcastAddress", () -> BacnetNetworkSettings.of(1, "bms", null, "127.0.0.1", null, null));
        refused("broadcastAddress", () -> BacnetNetworkSettings.of(1, "bms", null, "127.0.0.1", "host.lan", null));
        refused("bindAddress", () -> BacnetNetworkSettings.of(1, "bms", null, "256.0.0.1", "127.255.255.255", null));
        refused("port", () -> BacnetNetworkSettings.of(1, "bms", 0, null, "127.255.255.255", null));
        refused("port", () -> BacnetNetworkSettings.of(1, "bms", 65536, null, "127.255.255.255", null));
        refused("deviceName", () -> BacnetNetworkSettings.of(1, " ", null, null, "127.255.255.255", null));
        refused("deviceInstance", () -> BacnetNetworkSettings.of(4194303, "bms", null, null, "127.255.255.255", null));
        BacnetNetworkSettings f = BacnetNetworkSettings.of(1, "bms", null, null, "10.0.0.255", null, " 192.168.1.2 ",
                null, null);
        assertEquals(new java.net.InetSocketAddress("192.168.1.2", 47808), f.bbmd());
        assertEquals(300, f.foreignTtlSeconds());
        assertEquals(null, n.bbmd(), "no BBMD by default");
        refused("bbmdAddress", () -> BacnetNetworkSettings.of(1, "bms", null, null, "10.0.0.255", null, "bbmd.lan",
                null, null));
        refused("bbmdPort", () -> BacnetNetworkSettings.of(1, "bms", null, null, "10.0.0.255", null, "10.0.0.2", 0,
                null));
        refused("foreignTtlSeconds", () -> BacnetNetworkSettings.of(1, "bms", null, null, "10.0.0.255", null,
                "10.0.0.2", null, 10));
        assertEquals(8, BacnetStack.prefixLength("127.255.255.255"));
        assertEquals(24, BacnetStack.prefixLength("192.168.1.255"));
    }

    private static void refused(String field, Executable e) {
        assertEquals(field, assertThrows(InvalidValueException.class, e).field());
    }
}
