package org.bmsmqtt.web.configuration;

import java.time.Instant;
import java.util.List;

/**
 * The whole configuration as one JSON document: brokers and datapoints (each with its bindings, which name their
 * broker), KNX ({@link KnxEntries}), BACnet ({@link BacnetEntries}) and the integrated broker
 * ({@link IntegratedBrokerEntries}). {@code formatVersion} is {@value #FORMAT_VERSION}; {@code exportedAt} is informative and ignored on import.
 */
public record ConfigurationDocument(Integer formatVersion, Instant exportedAt, List<BrokerEntry> brokers,
                                    List<DatapointEntry> datapoints,
                                    KnxEntries knx, BacnetEntries bacnet,
                                    IntegratedBrokerEntries integratedBroker) {

    public static final int FORMAT_VERSION = 1;
}
