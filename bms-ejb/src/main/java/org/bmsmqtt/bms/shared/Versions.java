package org.bmsmqtt.bms.shared;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;

/**
 * Optimistic concurrency for conditional changes (HTTP {@code If-Match}). The version a client names is compared
 * with the loaded entity first, and then the stored row decides: the entity is locked with
 * {@link LockModeType#OPTIMISTIC_FORCE_INCREMENT} and flushed at once, so the database runs
 * {@code UPDATE ... SET version = v + 1 WHERE id = ? AND version = v}. Of two clients that both sent the same
 * version, the second one's update finds no row (it waits for the first one's row lock, then sees the new version)
 * and gets a {@link PreconditionFailedException}; only one can win.
 */
public final class Versions {

    public static final String IF_MATCH = "If-Match";

    private Versions() {
    }

    /**
     * Claims {@code entity} at {@code expected} (null: unconditional, nothing to check) before it is changed or
     * deleted.
     */
    public static void claim(EntityManager em, Object entity, long actual, Long expected, String resource) {
        if (expected == null) {
            return;
        }
        if (actual != expected) {
            throw stale(resource, actual, expected);
        }
        em.lock(entity, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        flush(em, resource, expected);
    }

    /**
     * Writes pending changes now, so that a concurrent change shows here (as 412 when the caller named a version,
     * 409 when it did not) rather than as a failed commit.
     */
    public static void flush(EntityManager em, String resource, Long expected) {
        try {
            em.flush();
        } catch (OptimisticLockException e) {
            if (expected != null) {
                throw new PreconditionFailedException(IF_MATCH, resource + " has changed since version " + expected
                        + ": read it again and retry");
            }
            throw new ConflictException("version", resource + " was changed by another request at the same time: "
                    + "read it again and retry");
        }
    }

    private static PreconditionFailedException stale(String resource, long actual, long expected) {
        return new PreconditionFailedException(IF_MATCH, resource + " is at version " + actual + ", not " + expected
                + ": read it again and retry");
    }
}
