package org.bmsmqtt.web.datapoint;

import org.bmsmqtt.bms.datapoint.BindingSettings;
import org.bmsmqtt.bms.datapoint.MqttBinding;
import org.bmsmqtt.bms.datapoint.PayloadFormat;
import org.bmsmqtt.bms.shared.InvalidValueException;

/** An MQTT binding of a datapoint as the API shows and takes it. */
public record BindingDto(Long id, Long brokerId, String commandTopic, String reportTopic, Integer qos, Boolean retained,
                         PayloadFormat payloadFormat, String jsonPointer, Long version) {

    static BindingDto of(MqttBinding b) {
        BindingSettings s = b.settings();
        return new BindingDto(b.getId(), s.brokerId(), s.commandTopic(), s.reportTopic(), s.qos(), s.retained(),
                s.payloadFormat(), s.jsonPointer(), b.getVersion());
    }

    BindingSettings settings() {
        if (brokerId == null) {
            throw new InvalidValueException("brokerId", "is required");
        }
        return new BindingSettings(brokerId, commandTopic, reportTopic, qos == null ? 1 : qos,
                Boolean.TRUE.equals(retained), payloadFormat, jsonPointer);
    }
}
