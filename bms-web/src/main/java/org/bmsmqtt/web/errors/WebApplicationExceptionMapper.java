package org.bmsmqtt.web.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What JAX-RS itself refuses (no such resource 404, method not allowed 405, unsupported content type 415, not
 * acceptable 406, a path parameter that is not a number 404) as {@code application/problem+json}, like every other
 * API error, instead of the server's HTML page. The status and its headers (e.g. {@code Allow}) are kept.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Logger LOG = Logger.getLogger(WebApplicationExceptionMapper.class.getName());

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status >= 500) {
            LOG.log(Level.SEVERE, "BMS0901 internal error", e);
            return new Problem("urn:bms:problem:internal", "Internal error", status,
                    "the server failed; the log has the details (BMS0901)", List.of()).toResponse();
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Request refused" : type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource (or a path parameter of the wrong type)";
            case 405 -> "this resource does not take this method";
            case 406 -> "this resource answers with application/json only";
            case 415 -> "send the body as application/json";
            default -> title;
        };
        Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("urn:bms:problem:http-" + status, title, status, detail, List.of()));
        if (original != null) {
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> b.header(name, v));
                }
            });
        }
        return b.build();
    }
}
