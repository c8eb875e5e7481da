package org.bmsmqtt.bms.cluster;

import com.hazelcast.map.IMap;
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
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Which members the cluster has now and the role each one says it has: every member puts its own entry into a map of
 * Payara's data grid every second, and an entry lives {@link #TTL_SECONDS} s, so a member that died or lost the grid
 * drops out of the list on its own. What GET /cluster lists; the lease ({@link MainLease}) alone decides who is main.
 */
@Singleton
@Startup
@DependsOn("ClusterRole")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Members {

    static final String MAP = "bms-cluster-members";
    static final int TTL_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(Members.class.getName());

    @Inject
    private ClusterRole role;
    @Resource
    private ManagedThreadFactory threads;

    private IMap<String, String> map;
    private ScheduledThreadPoolExecutor scheduler;
    private volatile List<Member> seen = List.of(); // as the map held them at the last announcement

    /** One member as it last said: its name, role, since when it has that role, and its takeovers. */
    public record Member(String member, String role, Instant since, long takeovers) {

        String encode() {
            return role + "\t" + since.toEpochMilli() + "\t" + takeovers;
        }

        static Member decode(String member, String text) {
            String[] p = text.split("\t", 3);
            return new Member(member, p[0], Instant.ofEpochMilli(Long.parseLong(p[1])), Long.parseLong(p[2]));
        }
    }

    private Member self() {
        return new Member(role.member(), role.role(), role.since(), role.takeovers());
    }

    @PostConstruct
    void start() {
        if (!role.enabled()) {
            return;
        }
        try {
            map = DataGrid.instance().getMap(MAP);
        } catch (javax.naming.NamingException | RuntimeException | LinkageError e) {
            LOG.fine(() -> "no member list without Payara's data grid: " + e);
            return;
        }
        scheduler = new ScheduledThreadPoolExecutor(1, threads);
        scheduler.scheduleWithFixedDelay(this::announce, 0, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (map != null) {
            try {
                map.removeAsync(role.member()); // gone at once, not after the entry's life; never waits
            } catch (RuntimeException e) {
                LOG.fine(() -> "member entry not removed: " + e);
            }
        }
    }

    /**
     * On the scheduler's thread only: the grid's map may hang for its operation timeout while a member that owns a
     * part of it is frozen, and that must not hang GET /cluster.
     */
    private void announce() {
        try {
            map.set(role.member(), self().encode(), TTL_SECONDS, TimeUnit.SECONDS);
            List<Member> all = new ArrayList<>();
            map.forEach((k, v) -> all.add(Member.decode(k, v)));
            seen = List.copyOf(all);
        } catch (RuntimeException e) {
            LOG.fine(() -> "member list not renewed: " + e);
        }
    }

    /**
     * The members that said who they are within the last {@link #TTL_SECONDS} s (as read up to a second ago), by name;
     * this one alone without a grid.
     */
    public List<Member> list() {
        List<Member> all = new ArrayList<>(seen);
        all.removeIf(m -> m.member().equals(role.member()));
        all.add(self()); // this member as it is now, not as it was up to a second ago

        all.sort(Comparator.comparing(Member::member));
        return all;
    }
}
