package org.bmsmqtt.bms.cluster;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main / backup rules over a lease in memory and a clock the test moves: one main at a time, never two. */
class LeaseKeeperTest {

    static final long LEASE = 3_000;
    static final long MARGIN = 1_000;

    /** A lease as the database keeps it, on the test's clock; {@code down} makes every call fail. */
    static final class FakeLease implements LeaseKeeper.Lease {
        long now;
        String holder = "";
        long token;
        long expires = Long.MIN_VALUE; // never held
        boolean down;

        @Override
        public Optional<Long> tryAcquire(String member, long leaseMillis) throws SQLException {
            if (down) {
                throw new SQLException("connection refused");
            }
            if (expires >= now) {
                return Optional.empty();
            }
            holder = member;
            token++;
            expires = now + leaseMillis;
            return Optional.of(token);
        }

        @Override
        public boolean renew(String member, long t, long leaseMillis) throws SQLException {
            if (down) {
                throw new SQLException("connection refused");
            }
            if (!holder.equals(member) || token != t) {
                return false;
            }
            expires = now + leaseMillis;
            return true;
        }
    }

    private final FakeLease lease = new FakeLease();
    private final LeaseKeeper a = new LeaseKeeper(lease, "a", LEASE, MARGIN);
    private final LeaseKeeper b = new LeaseKeeper(lease, "b", LEASE, MARGIN);

    private static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private Optional<LeaseKeeper.Change> at(LeaseKeeper k, long millis) {
        lease.now = millis;
        return k.tick(nanos(millis));
    }

    @Test
    void the_first_member_is_main_and_the_second_a_backup_while_the_main_renews() {
        assertTrue(at(a, 0).orElseThrow().main());
        assertTrue(at(b, 10).isEmpty());
        for (long t = 500; t <= 20_000; t += 500) {
            assertTrue(at(a, t).isEmpty(), "renewed at " + t);
            assertTrue(at(b, t + 1).isEmpty(), "no takeover while the lease is renewed, at " + t);
        }
        assertTrue(a.main());
        assertFalse(b.main());
    }

    @Test
    void a_dead_main_is_replaced_once_its_lease_runs_out() {
        at(a, 0);
        at(b, 100);
        assertTrue(at(b, LEASE).isEmpty(), "the lease is still valid");
        LeaseKeeper.Change c = at(b, LEASE + 1).orElseThrow();
        assertTrue(c.main());
        assertEquals(2, b.token(), "a new token: the fencing of the old main");
        // the old main comes back (a pause, not a death): its renewal fails and it steps down
        LeaseKeeper.Change down = at(a, LEASE + 100).orElseThrow();
        assertFalse(down.main());
        assertTrue(down.reason().contains("taken"), down.reason());
    }

    @Test
    void a_main_that_cannot_reach_the_database_steps_down_before_anyone_else_can_take_over() {
        at(a, 0);
        lease.down = true;
        assertTrue(at(a, 500).isEmpty(), "one failed renewal is not the end");
        assertTrue(a.check(nanos(LEASE - MARGIN - 1), "watchdog").isEmpty());
        LeaseKeeper.Change c = a.check(nanos(LEASE - MARGIN), "watchdog").orElseThrow();
        assertFalse(c.main());
        lease.down = false;
        assertTrue(at(b, LEASE - MARGIN + 1).isEmpty(), "the old lease still holds: a gap, never an overlap");
        assertTrue(at(b, LEASE + 1).orElseThrow().main());
        assertFalse(a.main());
    }

    @Test
    void a_backup_without_the_database_stays_a_backup() {
        lease.down = true;
        assertTrue(at(b, 0).isEmpty());
        assertFalse(b.main());
    }

    @Test
    void a_main_frozen_past_its_lease_may_not_act_before_it_learned_it() {
        assertTrue(at(a, 0).orElseThrow().main());
        assertTrue(a.mainAt(nanos(LEASE - MARGIN - 1)));
        // frozen (SIGSTOP, a long GC): no tick and no check ran, the role is still main in memory
        assertTrue(at(b, LEASE + 1).orElseThrow().main(), "the backup took over");
        assertTrue(a.main());
        assertFalse(a.mainAt(nanos(LEASE + 2)), "but it may not act on it");
        lease.now = LEASE + 2;
        assertFalse(a.tick(nanos(LEASE + 2)).orElseThrow().main(), "and steps down at its next tick");
        assertFalse(a.main());
    }
}
