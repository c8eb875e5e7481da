package org.bmsmqtt.bms.bacnet;

import java.time.Instant;

/**
 * What a BACnet binding is doing now. {@code mode}: WAITING_FOR_DEVICE (no I-Am yet), COV (subscribed until
 * {@code covExpires}, renewed before), POLLING (COV off, or refused by the device: {@code reason} says which),
 * UNREACHABLE (the device stopped answering; retried at the poll interval), STOPPED (network closed).
 */
public record BindingStatus(String mode, String reason, Instant since, Instant lastValue, Instant covExpires,
                            String lastWriteError, Instant lastWriteErrorTime) {
}
