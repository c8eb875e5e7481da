package org.bmsmqtt.bms.broker;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.ra.api.Availability;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Availability and discovery settings of a broker: defaults, the topic that follows the path, errors naming the field. */
class EcosystemSettingsTest {

    @Test
    void availability_is_on_by_default_on_the_broker_path_and_discovery_off() {
        EcosystemSettings d = EcosystemSettings.DEFAULT;
        assertTrue(d.availability());
        assertFalse(d.discovery());
        assertEquals("homeassistant", d.discoveryPrefix());
        assertEquals("brokers/site-b/status", d.availabilityTopicFor("brokers/site-b", "site-b"));
        assertEquals("brokers/site-b/status", d.availabilityTopicFor("/brokers/site-b/", "site-b"));
        assertEquals("bms/site-b/status", d.availabilityTopicFor("", "site-b"));
        assertEquals(new Availability("brokers/a/status", "online", "offline"), d.sessionAvailability("brokers/a", "a"));
        assertEquals(Availability.OFF, new EcosystemSettings(false, "", null, null, false, null)
                .sessionAvailability("brokers/a", "a"));
    }

    @Test
    void a_broker_settings_without_them_get_the_defaults() {
        BrokerSettings s = new BrokerSettings("b", "brokers/b", "127.0.0.1", 1883, "c", "", "", 5, 30, false, List.of(),
                "", "", "", "", true, 500, true);
        assertEquals(EcosystemSettings.DEFAULT, s.ecosystem());
        EcosystemSettings custom = new EcosystemSettings(true, "site/bms/lwt", "1", "0", true, "ha");
        assertEquals(custom, s.withEcosystem(custom).ecosystem());
        assertEquals("site/bms/lwt", custom.availabilityTopicFor("brokers/b", "b"));
    }

    @Test
    void bad_values_name_their_field() {
        assertEquals("availabilityTopic", field(() -> new EcosystemSettings(true, "a/+/status", null, null, false, null)));
        assertEquals("availabilityTopic", field(() -> new EcosystemSettings(true, "a/#", null, null, false, null)));
        assertEquals("payloadOffline", field(() -> new EcosystemSettings(true, "", "x", "x", false, null)));
        assertEquals("payloadOnline", field(() -> new EcosystemSettings(true, "", "x".repeat(101), null, false, null)));
        assertEquals("discoveryPrefix", field(() -> new EcosystemSettings(true, "", null, null, true, "ha/#")));
        assertEquals("discoveryPrefix", field(() -> new EcosystemSettings(true, "", null, null, true, "ha/")));
    }

    @Test
    void migration_v12_gives_existing_brokers_availability_and_no_discovery() throws SQLException {
        String url = "jdbc:h2:mem:eco" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("11").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("INSERT INTO broker (id, name, path, host, port, client_id, username, password_enc,"
                    + " reconnect_interval, keep_alive, tls_enabled, tls_versions, tls_ca_file, tls_client_cert_file,"
                    + " tls_client_key_file, tls_key_password_enc, tls_hostname_verification, anti_echo_millis, enabled)"
                    + " VALUES (1, 'old', 'brokers/old', 'h', 1883, 'c', '', '', 5, 30, FALSE, '', '', '', '', '', TRUE,"
                    + " 500, TRUE)");
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
            try (ResultSet rs = st.executeQuery("SELECT availability_enabled, availability_topic, payload_online,"
                    + " payload_offline, discovery_enabled, discovery_prefix FROM broker")) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1));
                assertEquals("", rs.getString(2));
                assertEquals("online", rs.getString(3));
                assertEquals("offline", rs.getString(4));
                assertFalse(rs.getBoolean(5));
                assertEquals("homeassistant", rs.getString(6));
            }
        }
    }

    private static String field(Runnable r) {
        return assertThrows(InvalidValueException.class, r::run).field();
    }
}
