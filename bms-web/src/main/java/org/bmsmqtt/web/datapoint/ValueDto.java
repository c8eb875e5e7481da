package org.bmsmqtt.web.datapoint;

import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.ValueState;

import java.time.Instant;

/**
 * A datapoint's current value with its timestamp and where it came from, plus the count of rejected inputs and
 * the last rejection's reason, the echoes of its own reports that were dropped (anti-echo), the reports that
 * could not go out with the last reason, and the value's quality: {@code good}, or {@code unreachable} while its
 * KNX connection or BACnet device cannot be reached ({@code qualityReason} says why).
 */
public record ValueDto(String datapoint, String dataType, Object value, Instant timestamp, String source,
                       long rejected, String lastError, long echoes, long reportsRefused, String lastReportError,
                       String quality, String qualityReason) {

    static ValueDto of(String datapoint, DataType type, ValueState.Snapshot s) {
        return new ValueDto(datapoint, type.name(), typed(type, s.value()), s.time(), s.source(), s.rejected(),
                s.lastError(), s.echoes(), s.reportsRefused(), s.lastReportError(), s.quality(), s.qualityReason());
    }

    /** The canonical text as a JSON number, boolean or string. */
    private static Object typed(DataType type, String v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case REAL -> Double.valueOf(v);
            case INTEGER -> Long.valueOf(v);
            case BOOLEAN -> Boolean.valueOf(v);
            case STRING -> v;
        };
    }
}
