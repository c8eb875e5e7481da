package org.bmsmqtt.web.errors;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Jersey wraps body-reading failures: a body JSON-B cannot read is the client's mistake (400), not ours. */
@Provider
public class ProcessingExceptionMapper implements ExceptionMapper<ProcessingException> {

    @Override
    public Response toResponse(ProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonbException jsonb) {
                return new JsonbExceptionMapper().toResponse(jsonb);
            }
        }
        return new Problem("urn:bms:problem:invalid", "Invalid input", 400,
                "the request could not be read: " + e.getMessage(), java.util.List.of()).toResponse();
    }
}
