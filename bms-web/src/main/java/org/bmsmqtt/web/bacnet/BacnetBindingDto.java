package org.bmsmqtt.web.bacnet;

import org.bmsmqtt.bms.bacnet.BacnetBinding;
import org.bmsmqtt.bms.bacnet.BacnetBindingSettings;

/**
 * A BACnet binding as the API shows and takes it. {@code datapoint} is the datapoint's name (fixed once bound);
 * {@code objectType} a standard name such as {@code analog-value}; {@code property} {@code present-value} by default.
 */
public record BacnetBindingDto(Long id, String datapoint, Integer deviceInstance, String objectType,
                               Integer objectInstance, String property, Integer writePriority, Boolean cov,
                               Boolean covConfirmed, Double covIncrement, Integer pollSeconds, Long version) {

    static BacnetBindingDto of(BacnetBinding b) {
        BacnetBindingSettings s = b.settings();
        return new BacnetBindingDto(b.getId(), b.getDatapoint().getName(), s.deviceInstance(), s.objectType().text(),
                s.objectInstance(), BacnetBindingSettings.propertyText(s.property()), s.writePriority(), s.cov(),
                s.covConfirmed(), s.covIncrement(), s.pollSeconds(), b.getVersion());
    }

    BacnetBindingSettings settings() {
        return BacnetBindingSettings.of(deviceInstance, objectType, objectInstance, property, writePriority, cov,
                covConfirmed, covIncrement, pollSeconds);
    }
}
