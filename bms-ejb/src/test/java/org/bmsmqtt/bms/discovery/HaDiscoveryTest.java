package org.bmsmqtt.bms.discovery;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.bmsmqtt.bms.datapoint.AccessMode;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.PayloadFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config messages against Home Assistant's documented discovery fields (a sample kept in the test resources). */
class HaDiscoveryTest {

    private static final DiscoveryTarget TARGET =
            new DiscoveryTarget("site-1.example", "homeassistant", "brokers/ha/status", "online", "offline");
    private static Properties documented;

    @BeforeAll
    static void documentation() throws IOException {
        documented = new Properties();
        try (InputStream in = HaDiscoveryTest.class.getResourceAsStream("/discovery/ha-discovery-fields.properties")) {
            documented.load(in);
        }
    }

    private static DiscoveredPoint point(long id, String path, DataType type, AccessMode mode, String unit,
                                         PayloadFormat format, String pointer) {
        return new DiscoveredPoint(id, "dp-" + id, path, type, mode, unit, "bms/" + id + "/set", "bms/" + id + "/state",
                1, format, pointer);
    }

    private static DiscoveredPoint point(long id, DataType type, AccessMode mode) {
        return point(id, "floor1/room1/p" + id, type, mode, "", PayloadFormat.PLAIN, "");
    }

    private static JsonObject config(DiscoveredPoint p) {
        DiscoveryMessage m = HaDiscovery.config(TARGET, p).orElseThrow();
        JsonObject o = Json.createReader(new StringReader(m.payload())).readObject();
        assertDocumented(m.topic().split("/")[1], o);
        return o;
    }

    private static void assertDocumented(String component, JsonObject o) {
        Set<String> allowed = fields("common");
        allowed.addAll(fields(component));
        for (String key : o.keySet()) {
            assertTrue(allowed.contains(key), component + ": '" + key + "' is not a documented field");
        }
        if (o.containsKey("availability")) {
            for (var entry : o.getJsonArray("availability")) {
                for (String key : entry.asJsonObject().keySet()) {
                    assertTrue(fields("availability_entry").contains(key), "availability: '" + key + "' is undocumented");
                }
            }
        }
        for (String key : o.getJsonObject("device").keySet()) {
            assertTrue(fields("device").contains(key), "device: '" + key + "' is not a documented field");
        }
    }

    private static Set<String> fields(String component) {
        String list = documented.getProperty(component);
        assertTrue(list != null, "no documented fields for component " + component);
        return new HashSet<>(Arrays.stream(list.split(",")).map(String::trim).toList());
    }

    @Test
    void the_component_follows_data_type_and_access_mode() {
        assertEquals("sensor", component(point(1, DataType.REAL, AccessMode.READ)));
        assertEquals("sensor", component(point(2, DataType.STRING, AccessMode.READ)));
        assertEquals("binary_sensor", component(point(3, DataType.BOOLEAN, AccessMode.READ)));
        assertEquals("number", component(point(4, DataType.REAL, AccessMode.READ_WRITE)));
        assertEquals("number", component(point(5, DataType.INTEGER, AccessMode.WRITE)));
        assertEquals("switch", component(point(6, DataType.BOOLEAN, AccessMode.READ_WRITE)));
        assertEquals("text", component(point(7, DataType.STRING, AccessMode.READ_WRITE)));
        DiscoveredPoint reportOnly = new DiscoveredPoint(8, "x", "a/x", DataType.REAL, AccessMode.READ_WRITE, "", "",
                "a/x/state", 0, PayloadFormat.PLAIN, "");
        assertEquals("sensor", component(reportOnly), "without a command topic it can only be shown");
        DiscoveredPoint nothing = new DiscoveredPoint(9, "x", "a/x", DataType.REAL, AccessMode.READ, "", "a/x/set", "",
                0, PayloadFormat.PLAIN, "");
        assertEquals(Optional.empty(), HaDiscovery.config(TARGET, nothing), "a READ datapoint without report topic");
    }

    private static String component(DiscoveredPoint p) {
        return HaDiscovery.component(p).orElse("none");
    }

    @Test
    void a_sensor_has_its_topic_unit_availability_unique_id_and_device() {
        DiscoveredPoint p = point(42, "floor1/room1/temp", DataType.REAL, AccessMode.READ, "°C", PayloadFormat.PLAIN, "");
        DiscoveryMessage m = HaDiscovery.config(TARGET, p).orElseThrow();
        assertEquals("homeassistant/sensor/bms_site-1_example/dp42/config", m.topic());
        assertTrue(m.topic().split("/")[2].matches("[a-zA-Z0-9_-]+"), "node id in Home Assistant's characters");
        JsonObject o = config(p);
        assertEquals("temp", o.getString("name"));
        assertEquals("bms_site-1_example_dp42", o.getString("unique_id"));
        assertEquals("bms/42/state", o.getString("state_topic"));
        assertFalse(o.containsKey("command_topic"));
        assertEquals("°C", o.getString("unit_of_measurement"));
        assertEquals("measurement", o.getString("state_class"));
        assertEquals("brokers/ha/status", o.getString("availability_topic"));
        assertEquals("online", o.getString("payload_available"));
        assertEquals("offline", o.getString("payload_not_available"));
        assertEquals(1, o.getInt("qos"));
        JsonObject device = o.getJsonObject("device");
        assertEquals(List.of("bms:site-1.example:floor1/room1"),
                device.getJsonArray("identifiers").getValuesAs(jakarta.json.JsonString.class).stream()
                        .map(jakarta.json.JsonString::getString).toList());
        assertEquals("floor1/room1", device.getString("name"));
    }

    @Test
    void datapoints_of_one_room_share_a_device_and_keep_their_unique_ids_when_moved() {
        JsonObject a = config(point(1, "floor1/room1/temp", DataType.REAL, AccessMode.READ, "", PayloadFormat.PLAIN, ""));
        JsonObject b = config(point(2, "floor1/room1/light", DataType.BOOLEAN, AccessMode.READ_WRITE, "",
                PayloadFormat.PLAIN, ""));
        JsonObject c = config(point(3, "floor1/room2/temp", DataType.REAL, AccessMode.READ, "", PayloadFormat.PLAIN, ""));
        assertEquals(a.getJsonObject("device"), b.getJsonObject("device"));
        assertNotEquals(a.getJsonObject("device"), c.getJsonObject("device"));
        JsonObject moved = config(point(1, "floor2/hall/temp", DataType.REAL, AccessMode.READ, "", PayloadFormat.PLAIN, ""));
        assertEquals(a.getString("unique_id"), moved.getString("unique_id"));
        JsonObject top = config(point(4, "outside", DataType.REAL, AccessMode.READ, "", PayloadFormat.PLAIN, ""));
        assertEquals("BMS site-1.example", top.getJsonObject("device").getString("name"));
        assertEquals("outside", top.getString("name"));
    }

    @Test
    void writable_components_carry_command_topic_and_their_payloads() {
        JsonObject sw = config(point(6, DataType.BOOLEAN, AccessMode.READ_WRITE));
        assertEquals("bms/6/set", sw.getString("command_topic"));
        assertEquals("bms/6/state", sw.getString("state_topic"));
        assertEquals("true", sw.getString("payload_on"));
        assertEquals("false", sw.getString("payload_off"));
        assertEquals("true", sw.getString("state_on"));
        JsonObject number = config(point(4, "a/setpoint", DataType.REAL, AccessMode.READ_WRITE, "°C",
                PayloadFormat.PLAIN, ""));
        assertEquals("box", number.getString("mode"));
        assertTrue(number.getJsonNumber("min").doubleValue() < -1000 && number.getJsonNumber("max").doubleValue() > 1000);
        assertEquals(0.01, number.getJsonNumber("step").doubleValue());
        assertEquals("°C", number.getString("unit_of_measurement"));
        JsonObject writeOnly = config(point(5, DataType.INTEGER, AccessMode.WRITE));
        assertFalse(writeOnly.containsKey("state_topic"), "a WRITE datapoint reports nothing: Home Assistant is optimistic");
        assertEquals(1, writeOnly.getJsonNumber("step").intValue());
        JsonObject text = config(point(7, DataType.STRING, AccessMode.READ_WRITE));
        assertFalse(text.containsKey("unit_of_measurement"));
        JsonObject binary = config(point(3, DataType.BOOLEAN, AccessMode.READ));
        assertEquals("true", binary.getString("payload_on"));
    }

    @Test
    void json_and_state_payloads_get_templates() {
        JsonObject state = config(point(1, "a/t", DataType.REAL, AccessMode.READ_WRITE, "°C", PayloadFormat.STATE, ""));
        assertEquals("{{ value_json.value }}", state.getString("value_template"));
        assertFalse(state.containsKey("command_template"), "a STATE binding takes a bare value as command");
        JsonObject json = config(point(2, "a/t", DataType.REAL, AccessMode.READ_WRITE, "", PayloadFormat.JSON,
                "/temperature/value"));
        assertEquals("{{ value_json['temperature']['value'] }}", json.getString("value_template"));
        assertEquals("{\"temperature\": {\"value\": {{ value | tojson }}}}", json.getString("command_template"));
        JsonObject flag = config(point(3, "a/f", DataType.BOOLEAN, AccessMode.READ, "", PayloadFormat.STATE, ""));
        assertEquals("{{ 'true' if value_json.value else 'false' }}", flag.getString("value_template"));
        JsonObject plain = config(point(4, DataType.REAL, AccessMode.READ));
        assertFalse(plain.containsKey("value_template"));
    }

    @Test
    void without_availability_no_availability_fields() {
        DiscoveryTarget off = new DiscoveryTarget("s", "ha", "", "online", "offline");
        DiscoveryMessage m = HaDiscovery.config(off, point(1, DataType.REAL, AccessMode.READ)).orElseThrow();
        assertTrue(m.topic().startsWith("ha/sensor/bms_s/"), m.topic());
        JsonObject o = Json.createReader(new StringReader(m.payload())).readObject();
        assertFalse(o.containsKey("availability_topic"));
        assertTrue(DiscoveryMessage.removal(m.topic()).isRemoval());
    }

    @Test
    void a_datapoint_from_a_field_bus_is_available_only_while_the_server_and_its_source_are() {
        DiscoveredPoint knx = new DiscoveredPoint(12, "dp-12", "floor1/room1/t", DataType.REAL, AccessMode.READ, "°C",
                "", "floor1/room1/t/state", 1, PayloadFormat.PLAIN, "", true);
        JsonObject o = config(knx);
        assertFalse(o.containsKey("availability_topic"), "a list instead: one topic cannot say both");
        assertEquals("all", o.getString("availability_mode"));
        var list = o.getJsonArray("availability");
        assertEquals(2, list.size());
        assertEquals("brokers/ha/status", list.getJsonObject(0).getString("topic"));
        assertEquals("floor1/room1/t/state/availability", list.getJsonObject(1).getString("topic"));
        for (var entry : list) {
            assertEquals("online", entry.asJsonObject().getString("payload_available"));
            assertEquals("offline", entry.asJsonObject().getString("payload_not_available"));
        }
        DiscoveredPoint virtual = new DiscoveredPoint(13, "dp-13", "floor1/room1/v", DataType.REAL, AccessMode.READ,
                "", "", "floor1/room1/v/state", 1, PayloadFormat.PLAIN, "", false);
        assertEquals("brokers/ha/status", config(virtual).getString("availability_topic"));
        assertFalse(config(virtual).containsKey("availability"));
    }

    @Test
    void a_writable_string_with_options_is_a_select_with_those_options() {
        DiscoveredPoint mode = new DiscoveredPoint(14, "dp-14", "floor1/room1/mode", DataType.STRING,
                AccessMode.READ_WRITE, "", "bms/14/set", "bms/14/state", 1, PayloadFormat.PLAIN, "", false,
                java.util.List.of("comfort", "eco", "off"));
        JsonObject o = config(mode);
        assertEquals("select", component(mode));
        assertEquals(java.util.List.of("comfort", "eco", "off"),
                o.getJsonArray("options").getValuesAs(jakarta.json.JsonString.class).stream()
                        .map(jakarta.json.JsonString::getString).toList());
        assertEquals("bms/14/set", o.getString("command_topic"));
        DiscoveredPoint free = new DiscoveredPoint(15, "dp-15", "floor1/room1/note", DataType.STRING,
                AccessMode.READ_WRITE, "", "bms/15/set", "bms/15/state", 1, PayloadFormat.PLAIN, "", false);
        assertEquals("text", component(free), "no options: free text");
    }
}
