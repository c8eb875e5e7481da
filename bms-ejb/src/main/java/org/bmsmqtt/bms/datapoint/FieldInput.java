package org.bmsmqtt.bms.datapoint;

import java.util.Optional;

/**
 * How a field bus gateway (KNX, BACnet) talks to the datapoint engine, from its own threads and without a container
 * invocation: {@link DatapointEngine#fieldInput()}. Never throws for bad input: it is counted on the datapoint.
 */
public interface FieldInput {

    /** A value from the bus: updates the datapoint whatever its access mode and goes to its report topics. */
    void value(long datapointId, String value, String source);

    /** Something from the bus that does not fit the datapoint: counted on it with the reason. */
    void invalid(long datapointId, String reason);

    /** The value a bus read request is answered with. */
    Optional<String> current(long datapointId);

    /**
     * A source of the datapoint ({@code knx:<connection id>}, {@code bacnet}) can be reached ({@code downReason}
     * empty) or not (why): the datapoint's quality and its availability topics follow.
     */
    void reachable(long datapointId, String source, String downReason);

    /** That source's binding was removed: a datapoint with no source left is virtual again. */
    void sourceGone(long datapointId, String source);
}
