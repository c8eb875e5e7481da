package org.bmsmqtt.bms.datapoint;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** MQTT payloads of a binding to canonical values and back: plain text, or JSON with a JSON Pointer. */
public final class PayloadCodec {

    public static final int MAX_PAYLOAD_BYTES = 65_536;

    private PayloadCodec() {
    }

    /** The canonical value in {@code payload}; {@link InvalidValueException} naming "payload" when it does not fit. */
    public static String decode(byte[] payload, DataType type, PayloadFormat format, String pointer) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidValueException("payload", "payload of " + payload.length + " bytes exceeds "
                    + MAX_PAYLOAD_BYTES);
        }
        String text = utf8(payload);
        if (format == PayloadFormat.PLAIN) {
            return ValueCodec.canonical(type, text, "payload");
        }
        if (format == PayloadFormat.STATE && !text.stripLeading().startsWith("{")) {
            return ValueCodec.canonical(type, text, "payload"); // a bare value is a command too
        }
        if (format == PayloadFormat.STATE) {
            pointer = "/value";
        }
        JsonValue value;
        try {
            JsonValue doc = Json.createReader(new StringReader(text)).readValue(); // a bare 21.5 is JSON too
            if (pointer.isEmpty()) {
                value = doc;
            } else if (doc instanceof JsonStructure structure) {
                value = Json.createPointer(pointer).getValue(structure);
            } else {
                throw new InvalidValueException("payload", "JSON Pointer " + pointer + " finds nothing in " + doc);
            }
        } catch (JsonParsingException e) {
            throw new InvalidValueException("payload", "malformed JSON: " + e.getMessage());
        } catch (JsonException e) {
            throw new InvalidValueException("payload", "JSON Pointer " + pointer + " finds nothing: " + e.getMessage());
        }
        return switch (value.getValueType()) {
            case NUMBER -> ValueCodec.canonical(type, ((JsonNumber) value).toString(), "payload");
            case STRING -> ValueCodec.canonical(type, ((JsonString) value).getString(), "payload");
            case TRUE -> ValueCodec.canonical(type, "true", "payload");
            case FALSE -> ValueCodec.canonical(type, "false", "payload");
            default -> throw new InvalidValueException("payload", "JSON value at '" + pointer + "' is "
                    + value.getValueType() + ", not a " + type);
        };
    }

    /** The payload for a canonical value ({@code STATE}: see {@link #encodeState}; here without unit and time). */
    public static byte[] encode(String canonical, DataType type, PayloadFormat format, String pointer) {
        if (format == PayloadFormat.PLAIN) {
            return canonical.getBytes(StandardCharsets.UTF_8);
        }
        if (format == PayloadFormat.STATE) {
            return encodeState(canonical, type, "", null, GOOD);
        }
        JsonValue v = json(canonical, type);
        if (pointer.isEmpty()) {
            return v.toString().getBytes(StandardCharsets.UTF_8);
        }
        String[] keys = pointer.substring(1).split("/", -1);
        JsonValue inner = v;
        for (int i = keys.length - 1; i >= 0; i--) {
            String key = keys[i].replace("~1", "/").replace("~0", "~");
            JsonObjectBuilder b = Json.createObjectBuilder();
            b.add(key, inner);
            inner = b.build();
        }
        return inner.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The quality of a value whose source is reachable (see {@link ValueState#quality()}). */
    public static final String GOOD = "good";

    /**
     * A JSON state: {@code {"value":21.5,"unit":"°C","timestamp":"2026-12-02T18:00:00.123Z","quality":"good"}}. The value
     * is typed as in {@code JSON} (number, boolean, string); {@code unit} is left out when empty (a switch has none), so
     * is {@code timestamp} when unknown; the timestamp is ISO-8601 UTC, as JavaScript's {@code Date} and Grafana read it.
     */
    public static byte[] encodeState(String canonical, DataType type, String unit, java.time.Instant time, String quality) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("value", json(canonical, type));
        if (unit != null && !unit.isEmpty()) {
            b.add("unit", unit);
        }
        if (time != null) {
            b.add("timestamp", time.toString());
        }
        b.add("quality", quality);
        return b.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonValue json(String canonical, DataType type) {
        return switch (type) {
            case REAL -> Json.createValue(Double.parseDouble(canonical));
            case INTEGER -> Json.createValue(Long.parseLong(canonical));
            case BOOLEAN -> Boolean.parseBoolean(canonical) ? JsonValue.TRUE : JsonValue.FALSE;
            case STRING -> Json.createValue(canonical);
        };
    }

    private static String utf8(byte[] payload) {
        if (isAscii(payload)) {
            return new String(payload, StandardCharsets.ISO_8859_1); // ASCII is UTF-8: no decoder per message
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidValueException("payload", "not UTF-8 text");
        }
    }

    private static boolean isAscii(byte[] payload) {
        for (byte b : payload) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
