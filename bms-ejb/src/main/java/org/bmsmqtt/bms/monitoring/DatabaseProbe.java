package org.bmsmqtt.bms.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.storage.SchemaMigration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks the database in the background: a connection from the pool and {@code Connection.isValid} with a short
 * timeout, every {@code bms.health.database-interval-ms}. The readiness check only reads the last outcome, so a
 * database that does not answer (PostgreSQL away, a network that drops packets) never makes {@code /health} wait: a
 * probe still running after {@link #TIMEOUT_SECONDS} counts as DOWN.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class DatabaseProbe {

    static final int TIMEOUT_SECONDS = 2;

    /** The outcome of one probe. */
    public record Outcome(boolean up, String detail, Instant at) {
    }

    @Resource(lookup = SchemaMigration.DATASOURCE)
    private DataSource dataSource;
    @Resource
    private ManagedScheduledExecutorService scheduler;
    @Inject
    @ConfigProperty(name = "bms.health.database-interval-ms", defaultValue = "2000")
    private long intervalMillis;

    private volatile Outcome last = new Outcome(false, "not checked yet", Instant.now());
    private volatile long runningSince; // System.nanoTime() of the probe under way, 0 when none
    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::probe, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The last outcome, or DOWN when the probe under way has waited longer than the timeout. */
    public Outcome outcome() {
        long since = runningSince;
        if (since != 0 && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS)) {
            return new Outcome(false, "no answer within " + TIMEOUT_SECONDS + " s", last.at());
        }
        return last;
    }

    private void probe() {
        runningSince = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(TIMEOUT_SECONDS);
            last = new Outcome(valid, valid ? c.getMetaData().getDatabaseProductName() : "connection not valid",
                    Instant.now());
        } catch (SQLException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            last = new Outcome(false, m.length() > 300 ? m.substring(0, 300) : m, Instant.now());
        } finally {
            runningSince = 0;
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(true);
        }
    }
}
