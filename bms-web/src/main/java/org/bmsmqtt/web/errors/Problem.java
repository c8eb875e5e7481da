package org.bmsmqtt.web.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem document.
 *
 * @param type   a URI naming the kind of problem
 * @param title  short, the same for every problem of this type
 * @param status the HTTP status
 * @param detail what went wrong this time
 * @param fields the inputs at fault
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> fields) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public record FieldError(String field, String message) {
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
