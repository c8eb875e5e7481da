package org.bmsmqtt.bms.shared;

import jakarta.ejb.ApplicationException;

/**
 * Root of the failures a caller can act on. The web layer maps each subclass to one HTTP status in one place.
 * {@link #field()} names the input at fault, when there is one.
 */
@ApplicationException(rollback = true)
public abstract class BusinessException extends RuntimeException {

    private final String field;

    protected BusinessException(String field, String message) {
        super(message);
        this.field = field == null ? "" : field;
    }

    public String field() {
        return field;
    }
}
