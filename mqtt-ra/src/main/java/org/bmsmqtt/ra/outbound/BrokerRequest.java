package org.bmsmqtt.ra.outbound;

import jakarta.resource.spi.ConnectionRequestInfo;
import org.bmsmqtt.ra.api.BrokerSpec;

/** Carries the broker spec from {@code getConnection} to the pool: connections are matched by it. */
record BrokerRequest(BrokerSpec spec) implements ConnectionRequestInfo {
}
