package org.bmsmqtt.bms.cluster;

import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The role as a JMX client reads it: attributes by name through an MBean server, as jconsole or a JMX exporter do. */
class ClusterJmxTest {

    private ClusterRole.Status status = new ClusterRole.Status(true, "b", "BACKUP", Instant.parse("2026-12-03T07:00:00Z"),
            "", "a", 7, Instant.parse("2026-12-03T06:00:00Z"), null, "", 3000, "");

    @Test
    void the_role_and_the_main_are_attributes_and_follow_the_role() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ClusterJmx jmx = new ClusterJmx(() -> status, () -> 2L);
        jmx.register(server);
        ObjectName name = new ObjectName(ClusterJmx.NAME);
        assertEquals("BACKUP", server.getAttribute(name, "Role"));
        assertEquals("a", server.getAttribute(name, "Main"));
        assertEquals(7L, server.getAttribute(name, "Token"));
        assertEquals(2L, server.getAttribute(name, "Takeovers"));
        assertEquals("", server.getAttribute(name, "LastFailover"), "none yet");
        assertEquals("2026-12-03T07:00:00Z", server.getAttribute(name, "Since"));

        status = new ClusterRole.Status(true, "b", "MAIN", Instant.parse("2026-12-03T07:05:00Z"), "took the lease", "b",
                8, Instant.parse("2026-12-03T07:05:00Z"), Instant.parse("2026-12-03T07:05:00Z"), "took the lease", 3000, "");
        assertEquals("MAIN", server.getAttribute(name, "Role"));
        assertEquals("took the lease", server.getAttribute(name, "LastFailoverReason"));

        new ClusterJmx(() -> status, () -> 0L).register(server); // a redeployment replaces the old one
        assertEquals(0L, server.getAttribute(name, "Takeovers"));
        jmx.unregister(server);
        assertFalse(server.isRegistered(name));
    }
}
