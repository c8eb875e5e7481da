package org.bmsmqtt.web.errors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A JSON body must be UTF-8 (RFC 8259): bytes that are not are a 400 naming the body, instead of being read with
 * replacement characters into names and topics. The body is read once here and handed on unchanged.
 */
@Provider
public class Utf8BodyFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        MediaType type = request.getMediaType();
        if (!request.hasEntity() || type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            request.abortWith(new Problem("urn:bms:problem:invalid", "Invalid input", 400,
                    "the body is not UTF-8 (JSON must be)", List.of(new Problem.FieldError("body",
                    "the body is not UTF-8 (JSON must be)"))).toResponse());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }
}
