package org.bmsmqtt.bms.bacnet;

/**
 * Fired by {@link BacnetService} inside the changing transaction; {@link BacnetNetwork} applies it after commit.
 * {@code datapointId} is null when the network itself changed.
 */
public record BacnetChanged(Long datapointId) {
}
