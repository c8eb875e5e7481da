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
        String detail = "the body is not valid JSON for this resource: " + e.getMessage();
        return new Problem("urn:bms:problem:invalid", "Invalid input", 400, detail,
                List.of(new Problem.FieldError("body", detail))).toResponse();
    }
}
