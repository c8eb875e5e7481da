package org.bmsmqtt.bms.shared;

/** A conditional request (HTTP {@code If-Match}) named a version the stored resource no longer has. */
public class PreconditionFailedException extends BusinessException {

    public PreconditionFailedException(String field, String message) {
        super(field, message);
    }
}
