package org.bmsmqtt.bms.datapoint;

import java.util.Set;

/**
 * Many datapoints (or their bindings) were created, changed or deleted in one transaction, e.g. by a configuration
 * import: after commit the engine re-reads them in chunks and the registry applies the topic changes once, instead of
 * one {@link DatapointsChanged} per datapoint.
 */
public record ConfigurationImported(Set<Long> datapointIds) {

    public ConfigurationImported {
        datapointIds = Set.copyOf(datapointIds);
    }
}
