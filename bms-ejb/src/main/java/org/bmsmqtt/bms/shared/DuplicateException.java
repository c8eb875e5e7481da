package org.bmsmqtt.bms.shared;

/** A name, path or other unique key is already taken. */
public class DuplicateException extends BusinessException {

    public DuplicateException(String field, String message) {
        super(field, message);
    }
}
