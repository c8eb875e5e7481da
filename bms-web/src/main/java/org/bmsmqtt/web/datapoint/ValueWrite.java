package org.bmsmqtt.web.datapoint;

/**
 * Body of a value write: {@code {"value": 21.5}}. Numbers, booleans and strings are accepted; the datapoint's data
 * type decides whether the value fits.
 */
public record ValueWrite(Object value) {
}
