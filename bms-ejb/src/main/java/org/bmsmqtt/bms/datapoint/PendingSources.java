package org.bmsmqtt.bms.datapoint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Reachability the field buses tell before the engine has loaded its datapoints (the gateways start with the
 * deployment, the engine loads in the background): kept, then applied by the load, so a KNX connection that came up
 * meanwhile is not forgotten until its next change.
 */
final class PendingSources {

    private final Map<Long, Map<String, String>> pending = new HashMap<>();
    private boolean open;

    /** True when the engine is loaded and the caller goes on; false when it was kept for the load. */
    synchronized boolean reachable(long datapointId, String source, String downReason) {
        if (!open) {
            pending.computeIfAbsent(datapointId, k -> new LinkedHashMap<>()).put(source, downReason);
        }
        return open;
    }

    /** As {@link #reachable}, for a source whose binding went away. */
    synchronized boolean gone(long datapointId, String source) {
        if (!open) {
            Map<String, String> m = pending.get(datapointId);
            if (m != null) {
                m.remove(source);
            }
        }
        return open;
    }

    /** At the end of the load: what was told goes into the states of datapoints that exist (null: gone). */
    synchronized void applyAndOpen(LongFunction<ValueState> stateOfExisting) {
        pending.forEach((id, sources) -> {
            ValueState st = stateOfExisting.apply(id);
            if (st != null) {
                sources.forEach(st::source);
            }
        });
        pending.clear();
        open = true;
    }
}
