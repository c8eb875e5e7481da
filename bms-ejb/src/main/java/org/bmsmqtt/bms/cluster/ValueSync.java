package org.bmsmqtt.bms.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.datapoint.DatapointEngine;

import javax.naming.NamingException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Backup sync: the values the main accepts for datapoints with {@code backupSync} go to every backup through a topic
 * of Payara's own data grid (Hazelcast, {@code payara/Hazelcast}), so that a backup that takes over starts from them
 * and not from the database's last write. Only with clustering on and Payara's clustering on (members listed with
 * {@code --clustermode tcpip:...} on Micro, a deployment group on Server); without the data grid it says so once and
 * the backups start from the database.
 */
@Singleton
@Startup
@DependsOn({"ClusterRole", "DatapointEngine"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ValueSync {

    static final String TOPIC = "bms-backup-values";
    private static final Logger LOG = Logger.getLogger(ValueSync.class.getName());

    @Inject
    private ClusterRole role;
    @Inject
    private DatapointEngine engine;

    private ITopic<String> topic;
    private UUID listener;
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    /** The last {@link #LAGS} delays (µs) from the main's acceptance to this backup's memory, oldest overwritten. */
    private final long[] lags = new long[LAGS];
    private long lagCount;
    static final int LAGS = 4096;

    /**
     * Values sent (as main) and received (as backup), and the delay from acceptance on the main to this backup's
     * memory over the last received ones (members' clocks: meaningful where they are synchronised, exact on one host).
     */
    public record Stats(boolean on, long sent, long received, long lagSamples, long lagP50Micros, long lagP99Micros,
                        long lagMaxMicros) {
    }

    public Stats stats() {
        long[] copy;
        synchronized (lags) {
            copy = java.util.Arrays.copyOf(lags, (int) Math.min(lagCount, LAGS));
        }
        java.util.Arrays.sort(copy);
        return new Stats(topic != null, sent.sum(), received.sum(), copy.length, percentile(copy, 0.50),
                percentile(copy, 0.99), copy.length == 0 ? 0 : copy[copy.length - 1]);
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    @PostConstruct
    void start() {
        if (!role.enabled()) {
            return;
        }
        try {
            HazelcastInstance grid = DataGrid.instance();
            topic = grid.getTopic(TOPIC);
            listener = topic.addMessageListener(this::onMessage);
            engine.attachBackupSync(new DatapointEngine.BackupSync() {
                @Override
                public void accepted(long id, String value, Instant at, String source, boolean backupSync,
                                     boolean shared) {
                    ValueSync.this.accepted(id, value, at, source, backupSync, shared);
                }

                @Override
                public void rejected(long id, long count, String reason, Instant at) {
                    ValueSync.this.rejected(id, count, reason, at);
                }
            });
            LOG.info("BMS1405 backup sync on Payara's data grid: " + grid.getCluster().getMembers().size()
                    + " members now");
        } catch (NamingException | RuntimeException | LinkageError e) {
            LOG.warning("BMS1406 backup sync is off (Payara's data grid is not available: " + e
                    + "); a backup that takes over starts from the database");
        }
    }

    @PreDestroy
    void stop() {
        engine.attachBackupSync(null);
        if (topic != null && listener != null) {
            try {
                topic.removeMessageListener(listener);
            } catch (RuntimeException e) {
                LOG.fine(() -> "backup sync listener: " + e);
            }
        }
    }

    /**
     * On the engine's thread: never blocks (the topic sends asynchronously), never throws. The main sends the values
     * of backupSync datapoints; every member sends what it took from a shared broker (active-active).
     */
    private void accepted(long datapointId, String value, Instant at, String source, boolean backupSync,
                          boolean shared) {
        if (!shared && !(backupSync && role.isMain())) {
            return;
        }
        try {
            topic.publishAsync(SyncedValue.encode(datapointId, value, at, source, shared));
            sent.increment();
        } catch (RuntimeException e) {
            LOG.fine(() -> "backup sync of datapoint " + datapointId + ": " + e);
        }
    }

    /** As {@link #accepted}: the main tells the backups a rejection of a backupSync datapoint's input. */
    private void rejected(long datapointId, long count, String reason, Instant at) {
        if (!role.isMain()) {
            return;
        }
        try {
            topic.publishAsync(SyncedValue.encodeRejections(datapointId, count, reason, at));
        } catch (RuntimeException e) {
            LOG.fine(() -> "backup sync of datapoint " + datapointId + ": " + e);
        }
    }

    private void onMessage(Message<String> m) {
        if (m.getPublishingMember() != null && m.getPublishingMember().localMember()) {
            return;
        }
        try {
            if (SyncedValue.isRejections(m.getMessageObject())) {
                if (!role.isMain()) {
                    SyncedValue r = SyncedValue.decode(m.getMessageObject());
                    engine.applySyncedRejections(r.datapointId(), Long.parseLong(r.source()), r.value(), r.at());
                }
                return;
            }
            SyncedValue v = SyncedValue.decode(m.getMessageObject());
            if (v.shared() && role.isMain()) {
                // taken by another member: the main writes it to the field buses and the brokers it alone holds
                engine.takeFromMember(v.datapointId(), v.value(), v.at(), v.source());
            } else if (v.shared() || !role.isMain()) {
                engine.applySynced(v.datapointId(), v.value(), v.at(), v.source());
            } else {
                return; // the main is the source of backup values, never a receiver
            }
            received.increment();
            long lag = java.time.Duration.between(v.at(), Instant.now()).toNanos() / 1_000;
            synchronized (lags) {
                lags[(int) (lagCount++ % LAGS)] = Math.max(0, lag);
            }
        } catch (RuntimeException e) {
            LOG.warning("BMS1407 backup sync message not applied: " + e);
        }
    }
}
