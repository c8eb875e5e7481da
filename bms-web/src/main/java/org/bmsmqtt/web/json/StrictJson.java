package org.bmsmqtt.web.json;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Type;

/**
 * JSON-B as the API reads bodies: like the default, but a boolean must be JSON {@code true} or {@code false}. JSON-B
 * itself reads any string into a boolean ({@code "yes"} as false), which would turn a typo into a silent change; here
 * it is a 400 naming the body, like every other value of the wrong type.
 */
@Provider
public class StrictJson implements ContextResolver<Jsonb> {

    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withDeserializers(new StrictBoolean()));

    @Override
    public Jsonb getContext(Class<?> type) {
        return jsonb;
    }

    /** {@code true} / {@code false} only; null stays null (the field's default applies). */
    public static final class StrictBoolean implements JsonbDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
            JsonValue v = parser.getValue(); // the value the parser stands on
            return switch (v.getValueType()) {
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case NULL -> null;
                case STRING -> throw new JsonbException("a boolean must be true or false, not the string \""
                        + clip(((JsonString) v).getString()) + "\"");
                default -> throw new JsonbException("a boolean must be true or false, not " + clip(v.toString()));
            };
        }

        private static String clip(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
