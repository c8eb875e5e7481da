package org.bmsmqtt.web.json;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictJsonTest {

    public record Body(String name, Boolean enabled, Integer port) {
    }

    private final Jsonb jsonb = new StrictJson().getContext(Body.class);

    @Test
    void booleansAreTrueFalseOrNull() {
        assertEquals(Boolean.TRUE, jsonb.fromJson("{\"name\": \"a\", \"enabled\": true}", Body.class).enabled());
        assertEquals(Boolean.FALSE, jsonb.fromJson("{\"enabled\": false}", Body.class).enabled());
        assertNull(jsonb.fromJson("{\"enabled\": null, \"port\": 3}", Body.class).enabled());
        assertNull(jsonb.fromJson("{\"port\": 3}", Body.class).enabled());
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        for (String wrong : new String[]{"\"yes\"", "\"true\"", "1", "[]", "{}"}) {
            JsonbException e = assertThrows(JsonbException.class,
                    () -> jsonb.fromJson("{\"enabled\": " + wrong + "}", Body.class), wrong);
            assertTrue(String.valueOf(e.getMessage()).contains("true or false")
                    || String.valueOf(e.getCause()).contains("true or false"), wrong + ": " + e);
        }
    }

    @Test
    void outputIsUnchanged() {
        assertEquals("{\"enabled\":true,\"name\":\"a\"}", jsonb.toJson(new Body("a", true, null)));
    }
}
