package org.bmsmqtt.bms.shared;

/** The request is valid but clashes with the current state (e.g. deleting the last admin). */
public class ConflictException extends BusinessException {

    public ConflictException(String field, String message) {
        super(field, message);
    }
}
