package org.bmsmqtt.web.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bmsmqtt.bms.shared.BusinessException;
import org.bmsmqtt.bms.shared.ConflictException;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.bms.shared.PreconditionFailedException;

import java.util.List;

/** The one place where business failures become HTTP statuses. */
@Provider
public class BusinessExceptionMapper implements ExceptionMapper<BusinessException> {

    @Override
    public Response toResponse(BusinessException e) {
        int status;
        String type;
        String title;
        if (e instanceof NotFoundException) {
            status = 404;
            type = "urn:bms:problem:not-found";
            title = "Not found";
        } else if (e instanceof DuplicateException) {
            status = 409;
            type = "urn:bms:problem:duplicate";
            title = "Already exists";
        } else if (e instanceof ConflictException) {
            status = 409;
            type = "urn:bms:problem:conflict";
            title = "Conflicts with the current state";
        } else if (e instanceof PreconditionFailedException) {
            status = 412;
            type = "urn:bms:problem:precondition-failed";
            title = "Changed since it was read";
        } else if (e instanceof org.bmsmqtt.bms.shared.UnavailableException) {
            status = 503;
            type = "urn:bms:problem:unavailable";
            title = "Not available yet";
        } else if (e instanceof InvalidValueException) {
            status = 400;
            type = "urn:bms:problem:invalid";
            title = "Invalid input";
        } else {
            status = 400;
            type = "urn:bms:problem:rejected";
            title = "Request rejected";
        }
        List<Problem.FieldError> fields = e.field().isEmpty() ? List.of()
                : List.of(new Problem.FieldError(e.field(), e.getMessage()));
        return new Problem(type, title, status, e.getMessage(), fields).toResponse();
    }
}
