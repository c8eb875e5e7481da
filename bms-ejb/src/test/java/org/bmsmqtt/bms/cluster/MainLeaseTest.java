package org.bmsmqtt.bms.cluster;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lease's SQL on H2 with the V14 migration (PostgreSQL: ClusterMicroIT runs on it). */
class MainLeaseTest {

    private MainLease lease;

    @BeforeEach
    void database() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : Files.readString(Path.of("src/main/resources/db/migration/V14__cluster_lease.sql"))
                    .replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
        lease = new MainLease(ds);
    }

    @Test
    void one_member_holds_it_until_it_expires_or_is_released() throws Exception {
        Optional<Long> a = lease.tryAcquire("a", 60_000);
        assertEquals(Optional.of(1L), a);
        assertEquals(Optional.empty(), lease.tryAcquire("b", 60_000), "held by a");
        assertTrue(lease.renew("a", 1, 60_000));
        assertFalse(lease.renew("b", 1, 60_000), "b never held it");
        assertFalse(lease.renew("a", 7, 60_000), "not with another token");
        MainLease.Holder h = lease.holder();
        assertEquals("a", h.member());
        assertTrue(h.valid());
        lease.release("a", 1);
        assertFalse(lease.holder().valid());
        assertEquals(Optional.of(2L), lease.tryAcquire("b", 60_000), "released: b at once, with a new token");
        assertFalse(lease.renew("a", 1, 60_000), "a's old token is fenced off");
    }

    @Test
    void an_expired_lease_is_taken_over() throws Exception {
        assertEquals(Optional.of(1L), lease.tryAcquire("a", 1));
        Thread.sleep(20);
        assertEquals(Optional.of(2L), lease.tryAcquire("b", 60_000));
        assertEquals("b", lease.holder().member());
    }
}
