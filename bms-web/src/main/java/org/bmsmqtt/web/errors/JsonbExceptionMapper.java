package org.bmsmqtt.web.errors;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;

/** A body that is not the JSON expected (malformed, wrong types): 400, naming the body. */
@Provider
public class JsonbExceptionMapper implements ExceptionMapper<JsonbException> {

    @Override
    public Response toResponse(JsonbException e) {
        String reason = e.getMessage();
        if (e.getCause() instanceof jakarta.json.bind.JsonbException inner && inner.getMessage() != null
                && (reason == null || !reason.contains(inner.getMessage()))) {
            reason = reason + ": " + inner.getMessage(); // our own reasons (json.StrictJson) as JSON-B wrapped them
        }
        String detail = "the body is not valid JSON for this resource: " + reason;
        return new Problem("urn:bms:problem:invalid", "Invalid input", 400, detail,
                List.of(new Problem.FieldError("body", detail))).toResponse();
    }
}
