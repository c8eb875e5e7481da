package org.bmsmqtt.bms.bacnet;

import java.time.Instant;

/**
 * What a BACnet binding is doing now. {@code mode}: WAITING_FOR_DEVICE (no I-Am yet), COV (subscribed until
 * {@code covExpires}, renewed before), POLLING (COV off, or refused by the device: {@code reason} says which),
 * UNREACHABLE (the device stopped answering; retried at the poll interval), ERROR (the device answers but refuses,
 * e.g. it has no such object: {@code reason} gives its error; retried at the poll interval), STOPPED (network closed).
 * {@code values}: values taken from the device; {@code writes} / {@code writeFailures}: commands written to it and
 * how many of them failed, the last failure's reason and time in {@code lastWriteError(Time)} (cleared by a
 * successful write).
 */
public record BindingStatus(String mode, String reason, Instant since, Instant lastValue, Instant covExpires,
                            long values, long writes, long writeFailures, String lastWriteError,
                            Instant lastWriteErrorTime) {
}
