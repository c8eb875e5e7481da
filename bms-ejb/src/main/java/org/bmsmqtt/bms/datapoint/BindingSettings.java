package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;

/**
 * An MQTT binding as an integrator sets it: at least one of the two topics; they must differ (the same topic for
 * command and report would loop). Empty means "none".
 */
public record BindingSettings(long brokerId, String commandTopic, String reportTopic, int qos, boolean retained,
                              PayloadFormat payloadFormat, String jsonPointer) {

    public BindingSettings {
        commandTopic = commandTopic == null ? "" : commandTopic.trim();
        reportTopic = reportTopic == null ? "" : reportTopic.trim();
        jsonPointer = jsonPointer == null ? "" : jsonPointer.trim();
        payloadFormat = payloadFormat == null ? PayloadFormat.PLAIN : payloadFormat;
        if (commandTopic.isEmpty() && reportTopic.isEmpty()) {
            throw new InvalidValueException("commandTopic", "a command topic, a report topic or both are required");
        }
        if (commandTopic.equals(reportTopic)) {
            throw new InvalidValueException("reportTopic", "must differ from the command topic (it would loop)");
        }
        checkTopic(commandTopic, "commandTopic", true);
        checkTopic(reportTopic, "reportTopic", false);
        if (qos < 0 || qos > 2) {
            throw new InvalidValueException("qos", "must be 0, 1 or 2, was " + qos);
        }
        if (payloadFormat == PayloadFormat.STATE && !jsonPointer.isEmpty()) {
            throw new InvalidValueException("jsonPointer", "a STATE payload has its value at /value: leave jsonPointer out");
        }
        if (payloadFormat == PayloadFormat.JSON && !jsonPointer.isEmpty() && !jsonPointer.startsWith("/")) {
            throw new InvalidValueException("jsonPointer", "a JSON Pointer starts with '/': " + jsonPointer);
        }
    }

    public boolean hasCommandTopic() {
        return !commandTopic.isEmpty();
    }

    public boolean hasReportTopic() {
        return !reportTopic.isEmpty();
    }

    private static void checkTopic(String topic, String field, boolean wildcardsAllowed) {
        if (topic.isEmpty()) {
            return;
        }
        if (topic.length() > 1000) {
            throw new InvalidValueException(field, "at most 1000 characters");
        }
        if (!wildcardsAllowed && (topic.contains("+") || topic.contains("#"))) {
            throw new InvalidValueException(field, "no wildcards in a report topic: " + topic);
        }
        if (wildcardsAllowed && (topic.contains("+") || topic.contains("#"))) {
            throw new InvalidValueException(field, "a command topic names one datapoint: no wildcards: " + topic);
        }
    }

    /**
     * Where the availability of a datapoint whose value comes from a field bus goes, beside its state (as
     * Zigbee2MQTT-style devices have it): {@code <report topic>/availability}.
     */
    public static String availabilityTopic(String reportTopic) {
        return reportTopic + "/availability";
    }
}
