package org.bmsmqtt.bms.cluster;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * When a member is main, as pure logic over a {@link Lease} and a clock (no threads, no database): a backup takes the
 * lease when it has expired; the main renews it, and steps down when it is taken or when it could not renew it for
 * {@code leaseMillis - marginMillis} since the start of its last successful renewal (the lease in the database is
 * still valid then, so no other member can be main yet: two mains never overlap).
 */
final class LeaseKeeper {

    interface Lease {
        Optional<Long> tryAcquire(String member, long leaseMillis) throws Exception;

        boolean renew(String member, long token, long leaseMillis) throws Exception;
    }

    /** A role change and why. */
    record Change(boolean main, String reason) {
    }

    private final Lease lease;
    private final String member;
    private final long leaseMillis;
    private final long marginMillis;
    private boolean main;
    private long token;
    private long validUntilNanos;

    LeaseKeeper(Lease lease, String member, long leaseMillis, long marginMillis) {
        if (marginMillis >= leaseMillis) {
            throw new IllegalArgumentException("the margin must be shorter than the lease");
        }
        this.lease = lease;
        this.member = member;
        this.leaseMillis = leaseMillis;
        this.marginMillis = marginMillis;
    }

    synchronized boolean main() {
        return main;
    }

    /**
     * Whether this member may act as main at {@code nowNanos}: main, and its lease has not run out on the local clock.
     * False at once after a pause longer than the lease (a frozen process, a long GC), before any tick or check had
     * the chance to step down: nothing opens a session on a lease that may be another member's now.
     */
    synchronized boolean mainAt(long nowNanos) {
        return main && nowNanos - validUntilNanos < 0;
    }

    synchronized long token() {
        return token;
    }

    /** One step at {@code nowNanos} (monotonic): renew as main, try to take over as backup. */
    Optional<Change> tick(long nowNanos) {
        boolean wasMain;
        long t;
        synchronized (this) {
            wasMain = main;
            t = token;
        }
        try {
            if (wasMain) {
                if (lease.renew(member, t, leaseMillis)) {
                    synchronized (this) {
                        if (main && token == t) {
                            validUntilNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(leaseMillis - marginMillis);
                        }
                    }
                    return Optional.empty();
                }
                return stepDown(t, "the lease was taken by another member");
            }
            Optional<Long> acquired = lease.tryAcquire(member, leaseMillis);
            if (acquired.isEmpty()) {
                return Optional.empty();
            }
            synchronized (this) {
                main = true;
                token = acquired.get();
                validUntilNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(leaseMillis - marginMillis);
            }
            return Optional.of(new Change(true, "took the lease (token " + acquired.get() + ")"));
        } catch (Exception e) {
            // the database cannot be reached: a backup stays one; a main keeps its role until check() says otherwise
            return check(nowNanos, "cannot renew the lease: " + e.getMessage());
        }
    }

    /** Steps down when the lease may have run out; also from a watchdog while a renewal hangs on the database. */
    Optional<Change> check(long nowNanos, String why) {
        long t;
        synchronized (this) {
            if (!main || nowNanos - validUntilNanos < 0) {
                return Optional.empty();
            }
            t = token;
        }
        return stepDown(t, why);
    }

    private synchronized Optional<Change> stepDown(long t, String why) {
        if (!main || token != t) {
            return Optional.empty();
        }
        main = false;
        return Optional.of(new Change(false, why));
    }
}
