package org.bmsmqtt.bms.datapoint;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON state payload ({@link PayloadFormat#STATE}): value typed, unit, ISO-8601 timestamp, quality. */
class StatePayloadTest {

    private static final Instant AT = Instant.parse("2026-12-02T18:00:00.123Z");

    private static JsonObject state(String canonical, DataType type, String unit, Instant at) {
        byte[] p = PayloadCodec.encodeState(canonical, type, unit, at, PayloadCodec.GOOD);
        return Json.createReader(new StringReader(new String(p, StandardCharsets.UTF_8))).readObject();
    }

    @Test
    void a_report_carries_value_unit_timestamp_and_quality() {
        JsonObject o = state("21.5", DataType.REAL, "°C", AT);
        assertEquals(21.5, o.getJsonNumber("value").doubleValue());
        assertEquals("°C", o.getString("unit"));
        assertEquals("2026-12-02T18:00:00.123Z", o.getString("timestamp"));
        assertEquals("good", o.getString("quality"));
        assertEquals(4, o.size(), o.toString());
    }

    @Test
    void values_keep_their_json_type_and_an_empty_unit_is_left_out() {
        assertTrue(state("true", DataType.BOOLEAN, "", AT).getBoolean("value"));
        assertEquals(42, state("42", DataType.INTEGER, "", AT).getInt("value"));
        assertEquals("hall \"a\"", state("hall \"a\"", DataType.STRING, "", AT).getString("value"));
        assertFalse(state("true", DataType.BOOLEAN, "", AT).containsKey("unit"));
        assertFalse(state("1", DataType.INTEGER, "", null).containsKey("timestamp"));
    }

    @Test
    void commands_are_a_state_object_or_a_bare_value() {
        byte[] obj = "{\"value\": 22.0, \"unit\": \"°C\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("22.0", PayloadCodec.decode(obj, DataType.REAL, PayloadFormat.STATE, ""));
        assertEquals("true", PayloadCodec.decode("on".getBytes(StandardCharsets.UTF_8), DataType.BOOLEAN,
                PayloadFormat.STATE, ""));
        // our own report read back (a loop through a bridge) is a valid command of the same value
        byte[] report = PayloadCodec.encodeState("21.5", DataType.REAL, "°C", AT, PayloadCodec.GOOD);
        assertEquals("21.5", PayloadCodec.decode(report, DataType.REAL, PayloadFormat.STATE, ""));
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> PayloadCodec.decode(
                "{\"temp\": 1}".getBytes(StandardCharsets.UTF_8), DataType.REAL, PayloadFormat.STATE, ""));
        assertEquals("payload", e.field());
    }

    @Test
    void a_state_binding_takes_no_json_pointer() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> new BindingSettings(1, "", "a/state", 1, true, PayloadFormat.STATE, "/x"));
        assertEquals("jsonPointer", e.field());
        assertEquals(PayloadFormat.STATE, new BindingSettings(1, "", "a/state", 1, true, PayloadFormat.STATE, "")
                .payloadFormat());
    }
}
