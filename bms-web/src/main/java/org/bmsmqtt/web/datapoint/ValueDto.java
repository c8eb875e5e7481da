package org.bmsmqtt.web.datapoint;

import org.bmsmqtt.bms.datapoint.Datapoint;

import java.time.Instant;

/**
 * A datapoint's current value with its timestamp and where it came from, plus the count of rejected inputs and
 * the last rejection's reason.
 */
public record ValueDto(String datapoint, String dataType, Object value, Instant timestamp, String source,
                       long rejected, String lastError) {

    static ValueDto of(Datapoint dp) {
        return new ValueDto(dp.getName(), dp.getDataType().name(), typed(dp), dp.getValueTime(),
                dp.getValueSource(), dp.getRejectedCount(), dp.getLastError());
    }

    /** The stored canonical text as a JSON number, boolean or string. */
    private static Object typed(Datapoint dp) {
        String v = dp.getValue();
        if (v == null) {
            return null;
        }
        return switch (dp.getDataType()) {
            case REAL -> Double.valueOf(v);
            case INTEGER -> Long.valueOf(v);
            case BOOLEAN -> Boolean.valueOf(v);
            case STRING -> v;
        };
    }
}
