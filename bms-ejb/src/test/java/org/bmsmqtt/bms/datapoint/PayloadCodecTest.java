package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadCodecTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plain_payloads_decode_by_data_type() {
        assertEquals("21.5", PayloadCodec.decode(b("21.5"), DataType.REAL, PayloadFormat.PLAIN, ""));
        assertEquals("true", PayloadCodec.decode(b("on"), DataType.BOOLEAN, PayloadFormat.PLAIN, ""));
    }

    @Test
    void json_values_are_found_at_the_pointer() {
        String doc = "{\"temperature\": {\"value\": 21.25, \"unit\": \"C\"}, \"on\": true, \"name\": \"hall\"}";
        assertEquals("21.25", PayloadCodec.decode(b(doc), DataType.REAL, PayloadFormat.JSON, "/temperature/value"));
        assertEquals("true", PayloadCodec.decode(b(doc), DataType.BOOLEAN, PayloadFormat.JSON, "/on"));
        assertEquals("hall", PayloadCodec.decode(b(doc), DataType.STRING, PayloadFormat.JSON, "/name"));
        assertEquals("7", PayloadCodec.decode(b("7"), DataType.INTEGER, PayloadFormat.JSON, ""));
    }

    @Test
    void what_does_not_fit_is_refused_naming_the_payload() {
        for (String bad : new String[] {"{\"v\": ", "{\"w\": 1}", "{\"v\": \"warm\"}", "{\"v\": {\"x\": 1}}"}) {
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    () -> PayloadCodec.decode(b(bad), DataType.REAL, PayloadFormat.JSON, "/v"), bad);
            assertEquals("payload", e.field());
        }
        assertTrue(assertThrows(InvalidValueException.class, () -> PayloadCodec.decode(
                new byte[PayloadCodec.MAX_PAYLOAD_BYTES + 1], DataType.STRING, PayloadFormat.PLAIN, ""))
                .getMessage().contains("exceeds"));
        assertTrue(assertThrows(InvalidValueException.class, () -> PayloadCodec.decode(
                new byte[] {(byte) 0xC3, (byte) 0x28}, DataType.STRING, PayloadFormat.PLAIN, ""))
                .getMessage().contains("UTF-8"));
    }

    @Test
    void values_are_encoded_at_the_pointer() {
        assertEquals("{\"temperature\":{\"value\":22.0}}", new String(PayloadCodec.encode("22.0", DataType.REAL,
                PayloadFormat.JSON, "/temperature/value"), StandardCharsets.UTF_8));
        assertEquals("true", new String(PayloadCodec.encode("true", DataType.BOOLEAN, PayloadFormat.JSON, ""),
                StandardCharsets.UTF_8));
        assertEquals("{\"a/b\":\"x\"}", new String(PayloadCodec.encode("x", DataType.STRING, PayloadFormat.JSON,
                "/a~1b"), StandardCharsets.UTF_8));
        assertEquals("21.5", new String(PayloadCodec.encode("21.5", DataType.REAL, PayloadFormat.PLAIN, ""),
                StandardCharsets.UTF_8));
    }
}
