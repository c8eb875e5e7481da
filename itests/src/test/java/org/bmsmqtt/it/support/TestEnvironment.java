package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs before any test class (so before any Payara Micro starts) and after the last one: starts the run's mosquitto
 * on the port Maven reserved and gives PostgreSQL runs fresh schemas; at the end it stops the {@link SharedMicro},
 * then mosquitto.
 */
public class TestEnvironment implements LauncherSessionListener {

    private static Mosquitto mosquitto;

    /** The mosquitto of this run (null when mosquitto is not installed). */
    public static synchronized Mosquitto mosquitto() {
        return mosquitto;
    }

    public static int mqttPort() {
        return Integer.getInteger("it.mqtt.port", 0);
    }

    public static Path buildDir() {
        return Path.of(System.getProperty("it.build.dir", "target"));
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        synchronized (TestEnvironment.class) {
            if (mosquitto == null && mqttPort() > 0 && Peers.mosquittoInstalled()) {
                mosquitto = new Mosquitto(mqttPort(), buildDir().resolve("mosquitto-" + mqttPort())).start();
            }
        }
        if ("postgres".equals(System.getProperty("it.database")) && Peers.postgresAnswers()) {
            resetSchema(System.getProperty("it.pg.schema", "bms_it"));
            resetSchema(SharedMicro.schema());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedMicro.stop(); // before its broker goes away, as an operator would stop them
        synchronized (TestEnvironment.class) {
            if (mosquitto != null) {
                mosquitto.stop();
                mosquitto = null;
            }
        }
    }

    /** Drops a PostgreSQL schema of this run (a lower-case identifier) so that a server migrates it afresh. */
    public static void resetSchema(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("it.pg.schema: a lower-case SQL identifier, was " + schema);
        }
        String url = System.getProperty("it.pg.url");
        String user = System.getProperty("it.pg.user");
        try (Connection c = DriverManager.getConnection(url, user, "");
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset schema " + schema + " in " + url + ": " + e.getMessage(), e);
        }
    }
}
