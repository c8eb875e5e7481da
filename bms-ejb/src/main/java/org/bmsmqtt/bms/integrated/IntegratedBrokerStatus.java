package org.bmsmqtt.bms.integrated;

import java.time.Instant;

/** The integrated broker right now: from memory, so also while the database is away. */
public record IntegratedBrokerStatus(State state, String reason, Instant since, String bindAddress, int port,
                                     int tlsPort, boolean authentication, int connectedClients, long messagesIn,
                                     long messagesOut) {

    /** STARTING: the start at boot is under way (in the background, after deployment). */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }
}
