package org.bmsmqtt.bms.bacnet;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** V7__bacnet.sql applies on H2 after the earlier migrations; its constraints hold. */
class BacnetMigrationTest {

    @Test
    void tablesAndConstraints() throws SQLException {
        String url = "jdbc:h2:mem:bacnet" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("INSERT INTO bacnet_network (id, device_instance, device_name, port, bind_address,"
                    + " broadcast_address, enabled) VALUES (1, 1001, 'bms', 47808, '127.0.0.1', '127.255.255.255', TRUE)");
            st.execute("INSERT INTO datapoint (id, name, data_type, path) VALUES (1, 'dp1', 'REAL', 'a/dp1')");
            long id = next(st);
            assertEquals(50, id, "the sequence starts with its increment");
            st.execute("INSERT INTO bacnet_binding (id, datapoint_id, device_instance, object_type, object_instance,"
                    + " property_name, write_priority, cov, cov_confirmed, cov_increment, poll_seconds) VALUES (" + id
                    + ", 1, 2002, 'analog-value', 0, 'present-value', 8, TRUE, FALSE, 0.5, 60)");
            assertThrows(SQLException.class, () -> st.execute("INSERT INTO bacnet_binding (id, datapoint_id,"
                    + " device_instance, object_type, object_instance, property_name, cov, cov_confirmed, poll_seconds)"
                    + " VALUES (51, 1, 2002, 'binary-value', 0, 'present-value', TRUE, FALSE, 60)"),
                    "one binding per datapoint");
            st.execute("DELETE FROM datapoint WHERE id = 1");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM bacnet_binding")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "bindings go with their datapoint");
            }
            try (ResultSet rs = st.executeQuery("SELECT port FROM bacnet_network")) {
                assertTrue(rs.next());
                assertEquals(47808, rs.getInt(1));
                assertFalse(rs.next());
            }
        }
    }

    private static long next(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT NEXT VALUE FOR bacnet_binding_seq")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
