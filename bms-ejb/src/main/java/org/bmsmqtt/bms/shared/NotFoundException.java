package org.bmsmqtt.bms.shared;

/** The named thing does not exist. */
public class NotFoundException extends BusinessException {

    public NotFoundException(String field, String message) {
        super(field, message);
    }
}
