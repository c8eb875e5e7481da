package org.bmsmqtt.bms.shared;

import org.bmsmqtt.ra.api.Publication;

import java.util.Optional;

/**
 * The way out of the datapoint engine: a report to a broker. The broker registry implements it and hands itself to the
 * engine at its start; the port lives below both so that neither imports the other.
 */
@FunctionalInterface
public interface ReportPort {

    /**
     * Hands the report to the broker's session: sent now, or queued in order while the broker is away or its
     * in-flight window is full.
     *
     * @return empty when taken; otherwise why it was refused (the caller counts it where the value is)
     */
    Optional<String> publish(long brokerId, Publication report);

    /** Before the broker registry started: nothing can go out yet. */
    ReportPort NONE = (brokerId, report) -> Optional.of("the broker sessions are not open yet");
}
