package org.bmsmqtt.web.errors;

import jakarta.ejb.EJBException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bmsmqtt.bms.shared.BusinessException;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Unwraps business failures a container wrapped; anything else is a 500 without internals in the body. */
@Provider
public class EjbExceptionMapper implements ExceptionMapper<EJBException> {

    private static final Logger LOG = Logger.getLogger(EjbExceptionMapper.class.getName());

    @Override
    public Response toResponse(EJBException e) {
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause instanceof BusinessException be) {
                return new BusinessExceptionMapper().toResponse(be);
            }
            if (cause instanceof jakarta.persistence.OptimisticLockException) {
                // a concurrent change seen only at commit (the services flush first, so this is rare)
                return new BusinessExceptionMapper().toResponse(new org.bmsmqtt.bms.shared.ConflictException("version",
                        "changed by another request at the same time: read it again and retry"));
            }
            cause = cause.getCause();
        }
        LOG.log(Level.SEVERE, "BMS0900 internal error", e);
        return new Problem("urn:bms:problem:internal", "Internal error", 500,
                "the server failed; the log has the details (BMS0900)", List.of()).toResponse();
    }
}
