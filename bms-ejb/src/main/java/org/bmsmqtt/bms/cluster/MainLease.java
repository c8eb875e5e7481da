package org.bmsmqtt.bms.cluster;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The lease that makes one member of a cluster the main, kept in the database all members share (table
 * {@code cluster_lease}, row {@code main}). Times are the database's clock, so members' clocks do not matter; each
 * takeover increments {@code token} (a fencing token: a member acts as main only with the token it acquired, and
 * loses the lease to nobody while it renews it). Plain JDBC, one short statement per call, autocommit: it must work
 * while nothing else does, and never wait on a transaction of the application.
 */
public final class MainLease {

    /** Who holds the lease, since when, until when (the database's epoch millis) and with which token. */
    public record Holder(String member, long token, long acquiredMillis, long expiresMillis, long nowMillis) {

        public boolean valid() {
            return !member.isEmpty() && expiresMillis > nowMillis;
        }
    }

    private static final String NAME = "main";
    private final DataSource dataSource;

    public MainLease(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lease when nobody holds it (expired); the new token, or empty when another member holds it. */
    public Optional<Long> tryAcquire(String member, long leaseMillis) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            long now = now(c);
            try (PreparedStatement u = c.prepareStatement("UPDATE cluster_lease SET holder = ?, token = token + 1, "
                    + "acquired_millis = ?, expires_millis = ? WHERE name = ? AND expires_millis < ?")) {
                u.setString(1, member);
                u.setLong(2, now);
                u.setLong(3, now + leaseMillis);
                u.setString(4, NAME);
                u.setLong(5, now);
                if (u.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            Holder h = read(c, now);
            // two members may both have seen it expired: the row says who won (one UPDATE after the other)
            return h.member().equals(member) ? Optional.of(h.token()) : Optional.empty();
        }
    }

    /** Extends the lease of the member with this token; false when it was lost (taken by another member). */
    public boolean renew(String member, long token, long leaseMillis) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            long now = now(c);
            try (PreparedStatement u = c.prepareStatement("UPDATE cluster_lease SET expires_millis = ? "
                    + "WHERE name = ? AND holder = ? AND token = ?")) {
                u.setLong(1, now + leaseMillis);
                u.setString(2, NAME);
                u.setString(3, member);
                u.setLong(4, token);
                return u.executeUpdate() == 1;
            }
        }
    }

    /** Gives the lease up at once (a clean shutdown): a backup takes over without waiting for it to expire. */
    public void release(String member, long token) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement u = c.prepareStatement("UPDATE cluster_lease SET expires_millis = 0 "
                    + "WHERE name = ? AND holder = ? AND token = ?")) {
                u.setString(1, NAME);
                u.setString(2, member);
                u.setLong(3, token);
                u.executeUpdate();
            }
        }
    }

    public Holder holder() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, now(c));
        }
    }

    private static Holder read(Connection c, long now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT holder, token, acquired_millis, expires_millis "
                + "FROM cluster_lease WHERE name = ?")) {
            q.setString(1, NAME);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("cluster_lease has no row '" + NAME + "' (migration V14)");
                }
                return new Holder(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), now);
            }
        }
    }

    /** The database's clock: every member compares against the same one. */
    private static long now(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
             ResultSet r = q.executeQuery()) {
            r.next();
            return r.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli();
        }
    }
}
