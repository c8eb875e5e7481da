package org.bmsmqtt.bms.shared;

/** An input does not fit: wrong type, out of range, not allowed in this access mode. */
public class InvalidValueException extends BusinessException {

    public InvalidValueException(String field, String message) {
        super(field, message);
    }
}
