package org.bmsmqtt.bms.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.datapoint.Origin;
import org.bmsmqtt.bms.storage.SchemaMigration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether this server is the main member of a cluster (several servers on one shared database), which alone holds the
 * broker sessions, KNX connections and the BACnet network; backups hold none of them and take over when the main's
 * lease runs out ({@link MainLease}, {@link LeaseKeeper}). Off by default ({@code bms.cluster.enabled}): a server
 * alone is always main, as before.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterRole {

    private static final Logger LOG = Logger.getLogger(ClusterRole.class.getName());

    @Resource(lookup = SchemaMigration.DATASOURCE)
    private DataSource dataSource;
    @Resource
    private ManagedThreadFactory threads;
    @Inject
    private Event<RoleChanged> changes;
    @Inject
    private Origin origin;

    private boolean enabled;
    private String member;
    private java.util.Set<String> sharedBrokers = java.util.Set.of();
    private String shareGroup = "";
    private long leaseMillis;
    private MainLease lease;
    private LeaseKeeper keeper;
    private ScheduledThreadPoolExecutor scheduler;
    /**
     * Role changes are told on a thread of their own, one at a time in order: what they start (the engine's reload,
     * opening every session) can take seconds, and the lease must go on being renewed meanwhile.
     */
    private java.util.concurrent.ExecutorService teller;
    private volatile Instant since = Instant.now();
    private volatile String lastChange = "";
    private volatile Instant lastFailover;
    private volatile String lastFailoverReason = "";
    private final java.util.concurrent.atomic.AtomicLong takeovers = new java.util.concurrent.atomic.AtomicLong();
    private final ClusterJmx jmx = new ClusterJmx(this::status, this::takeovers);

    /** What GET /cluster shows. {@code main}: who holds the lease now (empty when nobody does). */
    public record Status(boolean enabled, String member, String role, Instant since, String lastChange,
                         String main, long token, Instant mainSince, Instant lastFailover, String lastFailoverReason,
                         long leaseMillis, String error) {
    }

    @PostConstruct
    void start() {
        Config config = ConfigProvider.getConfig(ClusterRole.class.getClassLoader());
        enabled = config.getOptionalValue("bms.cluster.enabled", Boolean.class).orElse(false);
        member = config.getOptionalValue("bms.cluster.member", String.class)
                .orElseGet(() -> origin.id() + "-" + UUID.randomUUID().toString().substring(0, 8));
        leaseMillis = config.getOptionalValue("bms.cluster.lease-millis", Long.class).orElse(3_000L);
        long renewMillis = config.getOptionalValue("bms.cluster.renew-millis", Long.class).orElse(500L);
        sharedBrokers = config.getOptionalValue("bms.cluster.shared-brokers", String.class).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(v -> !v.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        shareGroup = "bms-" + origin.id().replaceAll("[/+#\\s]", "-"); // a share name holds none of them
        jmx.register(java.lang.management.ManagementFactory.getPlatformMBeanServer());
        if (!enabled) {
            return;
        }
        lease = new MainLease(dataSource);
        keeper = new LeaseKeeper(new LeaseKeeper.Lease() {
            @Override
            public Optional<Long> tryAcquire(String m, long ms) throws Exception {
                return lease.tryAcquire(m, ms);
            }

            @Override
            public boolean renew(String m, long token, long ms) throws Exception {
                return lease.renew(m, token, ms);
            }
        }, member, leaseMillis, Math.min(500, leaseMillis / 4));
        // The margin covers only what lies between the start of a renewal and the database's clock reading in it (the
        // lease in the database runs from that reading): a loaded machine then still renews many times per lease.
        // the first attempt before anything opens: the first member of a cluster is main from its start
        keeper.tick(System.nanoTime()).ifPresent(c -> noted(c, false));
        LOG.info("BMS1400 cluster member " + member + " started as " + role() + " (lease " + leaseMillis + " ms)");
        teller = java.util.concurrent.Executors.newSingleThreadExecutor(threads);
        scheduler = new ScheduledThreadPoolExecutor(2, threads);
        scheduler.scheduleWithFixedDelay(() -> changed(keeper.tick(System.nanoTime())), 0, renewMillis,
                TimeUnit.MILLISECONDS);
        // a renewal that hangs on the database must not keep this member main past its lease
        scheduler.scheduleWithFixedDelay(() -> changed(keeper.check(System.nanoTime(), "the lease could not be "
                + "renewed in time (database unreachable)")), renewMillis, renewMillis / 2, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        jmx.unregister(java.lang.management.ManagementFactory.getPlatformMBeanServer());
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (teller != null) {
            teller.shutdownNow();
        }
        if (keeper != null && keeper.main()) {
            try {
                lease.release(member, keeper.token()); // a backup takes over at once, not after the lease
            } catch (Exception e) {
                LOG.warning("BMS1403 cluster lease not released: " + e.getMessage());
            }
        }
    }

    /** Whether clustering is on ({@code bms.cluster.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** Whether this member holds the broker sessions and the field buses now; always when clustering is off. */
    public boolean isMain() {
        return !enabled || keeper.mainAt(System.nanoTime());
    }

    /**
     * Whether this broker is shared (active-active): every member holds a session of its own to it and subscribes its
     * command topics as MQTT 5 shared subscriptions, so the broker hands each command to one member. Listed by name in
     * {@code bms.cluster.shared-brokers} ({@code *}: all); never without clustering.
     */
    public boolean shares(String brokerName) {
        return enabled && (sharedBrokers.contains("*") || sharedBrokers.contains(brokerName));
    }

    /** The share name of this installation's shared subscriptions: {@code $share/<group>/<topic>}. */
    public String shareGroup() {
        return shareGroup;
    }

    public String member() {
        return member;
    }

    /** How often this member took over as main since it started (its first role at start-up not counted). */
    public long takeovers() {
        return takeovers.get();
    }

    public Status status() {
        String holder = "";
        long token = 0;
        Instant mainSince = null;
        String error = "";
        if (enabled) {
            try {
                MainLease.Holder h = lease.holder();
                if (h.valid()) {
                    holder = h.member();
                    token = h.token();
                    mainSince = Instant.ofEpochMilli(h.acquiredMillis());
                }
            } catch (Exception e) {
                error = "the lease cannot be read: " + e.getMessage();
            }
        } else {
            holder = member;
        }
        return new Status(enabled, member, role(), since, lastChange, holder, token, mainSince, lastFailover,
                lastFailoverReason, leaseMillis, error);
    }

    /** MAIN or BACKUP, from memory (no database read). */
    public String role() {
        return isMain() ? "MAIN" : "BACKUP";
    }

    /** Since when this member has its role. */
    public Instant since() {
        return since;
    }

    private void changed(Optional<LeaseKeeper.Change> change) {
        change.ifPresent(c -> noted(c, true));
    }

    private void noted(LeaseKeeper.Change c, boolean tell) {
        since = Instant.now();
        lastChange = c.reason();
        if (c.main() && tell) {
            takeovers.incrementAndGet();
            lastFailover = since;
            lastFailoverReason = c.reason();
        }
        LOG.warning("BMS140" + (c.main() ? "1" : "2") + " cluster member " + member + " is now "
                + (c.main() ? "MAIN" : "BACKUP") + ": " + c.reason());
        if (tell) {
            RoleChanged change = new RoleChanged(c.main(), c.reason());
            teller.execute(() -> {
                try {
                    changes.fire(change);
                } catch (RuntimeException e) {
                    LOG.severe("BMS1404 cluster role change not applied everywhere: " + e);
                }
            });
        }
    }
}
