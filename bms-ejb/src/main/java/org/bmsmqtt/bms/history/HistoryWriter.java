package org.bmsmqtt.bms.history;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import org.bmsmqtt.bms.storage.SchemaMigration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.inject.Inject;

/**
 * Write-behind for values: history rows of historical datapoints, and the last value of persistent ones. The hot
 * path only queues; a scheduled flush writes batches with plain JDBC in one transaction. The history queue is
 * bounded: a full queue makes {@link #history} wait briefly and then refuse, so the caller (and through it MQTT's
 * flow control) slows down instead of a value being dropped. A failed flush keeps its rows and retries: with the
 * database away, values wait and are written on recovery.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class HistoryWriter {

    private static final Logger LOG = Logger.getLogger(HistoryWriter.class.getName());
    private static final int BATCH = 2000;

    /** One history row. */
    public record Row(long datapointId, Instant time, String value, String source) {
    }

    /** The last value (and rejection count) of a persistent datapoint. */
    public record Latest(long datapointId, String value, Instant time, String source, long rejected, String lastError) {
    }

    @Resource(lookup = SchemaMigration.DATASOURCE)
    private DataSource dataSource;
    @Resource
    private ManagedScheduledExecutorService scheduler;
    @Inject
    @ConfigProperty(name = "bms.history.queue-capacity", defaultValue = "200000")
    private int capacity;
    @Inject
    @ConfigProperty(name = "bms.history.flush-interval-ms", defaultValue = "200")
    private long flushIntervalMillis;

    private BlockingQueue<Row> queue;
    private final List<Row> pending = new ArrayList<>();
    // Read without the pending lock, which a flush holds while it waits for the database: status and health never block.
    private volatile int pendingSize;
    private volatile Instant pendingOldest;
    private final Map<Long, Latest> latest = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;
    private volatile boolean degraded;
    private volatile ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(capacity);
        task = scheduler.scheduleWithFixedDelay(this::flushQuietly, flushIntervalMillis, flushIntervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a history row, waiting up to a second for room.
     *
     * @throws IllegalStateException when the queue stayed full: the value must not be taken as accepted
     */
    public void history(Row row) {
        try {
            if (!queue.offer(row, 1, TimeUnit.SECONDS)) {
                if (refused.getAndIncrement() % 1000 == 0) {
                    LOG.warning("BMS0501 history queue full (" + capacity + " rows): values are refused until the "
                            + "database catches up; " + (refused.get()) + " refused so far");
                }
                throw new IllegalStateException("history queue full (" + capacity + " rows)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing history", e);
        }
    }

    /** Remembers the last value of a persistent datapoint; only the newest per datapoint is written. */
    public void latest(Latest value) {
        latest.put(value.datapointId(), value);
    }

    public Status status() {
        return new Status(queue.size() + pendingSize, capacity, written.get(), refused.get(), degraded, lastError,
                lastErrorAt);
    }

    /** The time of the oldest value still waiting to be written (rows being retried come first); empty when none waits. */
    public Optional<Instant> oldestWaiting() {
        Instant p = pendingOldest;
        if (p != null) {
            return Optional.of(p);
        }
        Row head = queue.peek();
        return head == null ? Optional.empty() : Optional.of(head.time());
    }

    /** Whether the scheduled flush is still running (it stops only at shutdown). */
    public boolean running() {
        ScheduledFuture<?> t = task;
        return t != null && !t.isDone();
    }

    /** Queue depth, capacity, rows written, rows refused, whether the database is failing, and why. */
    public record Status(int depth, int capacity, long written, long refused, boolean degraded, String lastError,
                         Instant lastErrorAt) {
    }

    /** Writes everything queued now (used on shutdown and by tests). */
    public void flush() throws SQLException {
        synchronized (pending) {
            while (true) {
                if (pending.isEmpty()) {
                    queue.drainTo(pending, BATCH * 5);
                    pendingOldest = pending.isEmpty() ? null : pending.get(0).time();
                    pendingSize = pending.size();
                }
                List<Latest> latestNow = new ArrayList<>();
                for (Iterator<Map.Entry<Long, Latest>> it = latest.entrySet().iterator(); it.hasNext(); ) {
                    latestNow.add(it.next().getValue());
                    it.remove();
                }
                if (pending.isEmpty() && latestNow.isEmpty()) {
                    return;
                }
                try {
                    write(pending, latestNow);
                } catch (SQLException e) {
                    for (Latest l : latestNow) {
                        latest.putIfAbsent(l.datapointId(), l); // keep, unless a newer one came meanwhile
                    }
                    throw e;
                }
                written.addAndGet(pending.size());
                pending.clear();
                pendingSize = 0;
                pendingOldest = null;
                if (queue.isEmpty() && latest.isEmpty()) {
                    return;
                }
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
            if (degraded) {
                degraded = false;
                LOG.info("BMS0502 database back: history and values written again");
            }
        } catch (SQLException | RuntimeException e) {
            if (!degraded) {
                LOG.log(Level.WARNING, "BMS0503 cannot write values to the database; they wait in the queue and are "
                        + "retried: " + e.getMessage());
            }
            degraded = true;
            lastError = e.getMessage();
            lastErrorAt = Instant.now();
        }
    }

    private void write(List<Row> rows, List<Latest> values) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!rows.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO value_history (datapoint_id, ts, value_text, source) VALUES (?, ?, ?, ?)")) {
                        for (Row r : rows) {
                            ps.setLong(1, r.datapointId());
                            ps.setObject(2, r.time().atOffset(ZoneOffset.UTC));
                            ps.setString(3, r.value());
                            ps.setString(4, r.source());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!values.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE datapoint SET value_text = ?, value_time = ?, "
                            + "value_source = ?, rejected_count = ?, last_error = ? WHERE id = ?")) {
                        for (Latest l : values) {
                            ps.setString(1, l.value());
                            ps.setObject(2, l.time() == null ? null : l.time().atOffset(ZoneOffset.UTC));
                            ps.setString(3, l.source());
                            ps.setLong(4, l.rejected());
                            ps.setString(5, l.lastError());
                            ps.setLong(6, l.datapointId());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try {
                flush();
                return;
            } catch (SQLException e) {
                LOG.warning("BMS0504 flush at shutdown failed, retrying: " + e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        LOG.severe("BMS0505 shutting down with " + status().depth() + " values not written to the database");
    }
}
