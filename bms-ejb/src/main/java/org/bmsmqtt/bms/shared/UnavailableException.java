package org.bmsmqtt.bms.shared;

/**
 * The request is fine but the server cannot serve it yet (e.g. the datapoint engine is still loading at start-up).
 * The web layer answers 503: try again later.
 */
public class UnavailableException extends BusinessException {
    public UnavailableException(String message) {
        super("", message);
    }
}
