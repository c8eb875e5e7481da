package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.configuration.ExportedConfiguration;
import org.bmsmqtt.bms.datapoint.BindingSettings;
import org.bmsmqtt.bms.datapoint.PayloadFormat;

/** An MQTT binding in the configuration document: its broker by name (ids differ between servers). */
public record BindingEntry(String broker, String commandTopic, String reportTopic, Integer qos, Boolean retained,
                           String payloadFormat, String jsonPointer) {

    static BindingEntry of(ExportedConfiguration.Binding b) {
        BindingSettings s = b.settings();
        return new BindingEntry(b.broker(), s.commandTopic(), s.reportTopic(), s.qos(), s.retained(),
                s.payloadFormat().name(), s.jsonPointer());
    }

    /** The same defaults as {@code POST /datapoints/{name}/bindings}; the broker id is filled in on import. */
    BindingSettings settings() {
        if (broker == null || broker.isBlank()) {
            throw new org.bmsmqtt.bms.shared.InvalidValueException("broker", "the name of a broker is required");
        }
        return new BindingSettings(0, commandTopic, reportTopic, qos == null ? 1 : qos, Boolean.TRUE.equals(retained),
                Names.parse(PayloadFormat.class, payloadFormat, "payloadFormat"), jsonPointer);
    }
}
