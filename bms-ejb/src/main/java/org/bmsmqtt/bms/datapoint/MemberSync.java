package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.datapoint.DatapointEngine.BackupSync;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's side of a cluster: values going to the other members as they are accepted ({@link BackupSync}),
 * values and rejections the main synced to this member, values another member took from a shared broker
 * (active-active), and which brokers this member holds as one of several. Values synced before the engine's load are
 * kept, the latest of each, and applied on what the load restored.
 */
final class MemberSync {

    private record SyncedEarly(String value, Instant at, String source) {
    }

    private final DatapointEngine engine;
    private volatile BackupSync backupSync; // cluster.ValueSync on a cluster's members
    private final Map<Long, SyncedEarly> earlySynced = new HashMap<>(); // synced before the load: latest each
    private final Set<Long> sharedBrokers = ConcurrentHashMap.newKeySet();

    MemberSync(DatapointEngine engine) {
        this.engine = engine;
    }

    void attach(BackupSync sync) {
        backupSync = sync;
    }

    void sharedBroker(long brokerId, boolean shared) {
        if (shared) {
            sharedBrokers.add(brokerId);
        } else {
            sharedBrokers.remove(brokerId);
        }
    }

    boolean isShared(long brokerId) {
        return !sharedBrokers.isEmpty() && sharedBrokers.contains(brokerId);
    }

    /** An accepted value: to the other members when the datapoint is backupSync or it came from a shared broker. */
    void accepted(DpConfig dp, String value, Instant at, String source, boolean shared) {
        BackupSync sync = backupSync;
        if (sync != null && (dp.backupSync() || shared)) {
            sync.accepted(dp.id(), value, at, source, dp.backupSync(), shared);
        }
    }

    /** A rejected input of a backupSync datapoint: its count since start and the reason to the other members. */
    void rejected(DpConfig dp, long count, String reason) {
        BackupSync sync = backupSync;
        if (dp.backupSync() && sync != null) {
            sync.rejected(dp.id(), count, reason, Instant.now());
        }
    }

    /** See {@link DatapointEngine#applySynced}. */
    void applySynced(long datapointId, String value, Instant at, String source) {
        if (!engine.isLoaded()) {
            synchronized (earlySynced) {
                if (!engine.isLoaded()) { // kept until the load, which applies the latest of each on what it restored
                    earlySynced.put(datapointId, new SyncedEarly(value, at, source));
                    return;
                }
            }
        }
        if (engine.config().datapoint(datapointId) != null) {
            engine.state(datapointId).synced(value, at, source);
        }
    }

    /** At the end of the load: the values synced before it, then {@code markLoaded} (under the same lock). */
    void applyEarly(Runnable markLoaded) {
        synchronized (earlySynced) {
            earlySynced.forEach((id, v) -> {
                if (engine.config().datapoint(id) != null) {
                    engine.state(id).synced(v.value(), v.at(), v.source());
                }
            });
            earlySynced.clear();
            markLoaded.run();
        }
    }

    /** See {@link DatapointEngine#applySyncedRejections}. */
    void applySyncedRejections(long datapointId, long count, String reason, Instant at) {
        if (engine.isLoaded() && engine.config().datapoint(datapointId) != null) {
            engine.state(datapointId).syncedRejections(count, reason, at);
        }
    }

    /** See {@link DatapointEngine#takeFromMember}. */
    void takeFromMember(long datapointId, String value, Instant at, String source) {
        DpConfig dp = engine.isLoaded() ? engine.config().datapoint(datapointId) : null;
        if (dp == null) {
            applySynced(datapointId, value, at, source);
            return;
        }
        ValueState st = engine.state(datapointId);
        Instant before = st.time();
        st.synced(value, at, source);
        if (before != null && at.isBefore(before)) {
            return;
        }
        try {
            FieldSink sink = engine.fieldSink();
            if (sink != null) {
                sink.command(dp.id(), dp.type(), value, source);
            }
            engine.toBacnet(dp, value);
        } catch (InvalidValueException e) {
            engine.reject(dp, e.getMessage() + " (from " + source + ")");
        }
        if (dp.mode().reports()) {
            engine.reports().report(dp, st, value, sharedBrokers::contains);
        }
    }
}
