package org.bmsmqtt.bms.discovery;

import org.bmsmqtt.bms.datapoint.AccessMode;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.PayloadFormat;

import java.util.List;

/**
 * A datapoint with its (first) binding on the broker discovery publishes to: all a config message is made of.
 * {@code fieldBound}: its value comes from a field bus (KNX, BACnet), so it has an availability topic of its own;
 * {@code options}: the only values it takes (a select in Home Assistant), empty for any.
 */
public record DiscoveredPoint(long datapointId, String name, String path, DataType type, AccessMode mode, String unit,
                              String commandTopic, String reportTopic, int qos, PayloadFormat format, String pointer,
                              boolean fieldBound, List<String> options) {

    public DiscoveredPoint(long datapointId, String name, String path, DataType type, AccessMode mode, String unit,
                           String commandTopic, String reportTopic, int qos, PayloadFormat format, String pointer,
                           boolean fieldBound) {
        this(datapointId, name, path, type, mode, unit, commandTopic, reportTopic, qos, format, pointer, fieldBound,
                List.of());
    }

    /** A virtual datapoint's. */
    public DiscoveredPoint(long datapointId, String name, String path, DataType type, AccessMode mode, String unit,
                           String commandTopic, String reportTopic, int qos, PayloadFormat format, String pointer) {
        this(datapointId, name, path, type, mode, unit, commandTopic, reportTopic, qos, format, pointer, false);
    }

    public DiscoveredPoint {
        unit = unit == null ? "" : unit;
        commandTopic = commandTopic == null ? "" : commandTopic;
        reportTopic = reportTopic == null ? "" : reportTopic;
        pointer = pointer == null ? "" : pointer;
        format = format == null ? PayloadFormat.PLAIN : format;
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** Commands reach the datapoint through this binding. */
    boolean commandable() {
        return mode.takesCommands() && !commandTopic.isEmpty();
    }

    /** Its values come out through this binding (a WRITE datapoint reports nothing). */
    boolean reporting() {
        return mode.reports() && !reportTopic.isEmpty();
    }
}
