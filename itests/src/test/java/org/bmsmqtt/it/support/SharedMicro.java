package org.bmsmqtt.it.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one Payara Micro (mqtt-ra.rar + bms.war) that the end-to-end classes of a failsafe execution share: started by
 * the first class that asks, stopped (SIGTERM, the applications shut down) after the last class, by
 * {@link TestEnvironment} before it stops the run's mosquitto.
 *
 * <p>Why: Arquillian's Payara Micro container cannot deploy into a running Micro, so every class that used it booted
 * a Micro of its own (about 25 s each, twice per class: H2 and PostgreSQL). The classes already kept apart by names
 * (unique broker names, client ids, topics, datapoint paths) and already shared the execution's database (one data
 * folder or schema per execution), so sharing the server changes what they share only by its memory. Classes that need
 * a server to themselves (a restart, a first start on an empty database, a second server) start a {@link MicroProcess}
 * of their own; {@code ThinPathMicroIT} stays on Arquillian, so the Arquillian deployment path is still proven.
 *
 * <p>Its configuration is the execution's ({@code micro-h2.properties} or {@code micro-postgres.properties}, the
 * files Arquillian's container reads too) with its own data folder, client id, server id and PostgreSQL schema
 * ({@code <schema>_shared}, reset at the start of the run), so it never meets the Arquillian-started server's
 * database or MQTT session.
 */
public final class SharedMicro {

    private static MicroProcess micro;

    private SharedMicro() {
    }

    /** The deployment's root, {@code http://127.0.0.1:<port>/bms/}, as Arquillian's {@code @ArquillianResource URL} gave it. */
    public static URL deployment() {
        try {
            return URI.create("http://127.0.0.1:" + start().port() + "/bms/").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The admin API root. */
    public static Http api() {
        return new Http(start().api());
    }

    /** The process id of the shared server (to attach JMX as JConsole does). */
    public static long pid() {
        return start().pid();
    }

    /** The shared server's log file. */
    public static Path log() {
        return start().log();
    }

    /** The shared server's {@code bms.server-id}: the origin mark on what it publishes. */
    public static String serverId() {
        return "bms-it-micro-" + System.getProperty("it.database", "h2") + "-shared";
    }

    /** The PostgreSQL schema of the shared server of a PostgreSQL execution. */
    public static String schema() {
        return System.getProperty("it.pg.schema", "bms_it") + "_shared";
    }

    static synchronized MicroProcess start() {
        if (micro == null) {
            Path build = TestEnvironment.buildDir();
            if (!MicroProcess.available(build)) {
                throw new IllegalStateException("the itests build did not copy payara-micro.jar, mqtt-ra.rar and "
                        + "bms.war into " + build.toAbsolutePath());
            }
            String database = System.getProperty("it.database", "h2");
            Path dir = build.resolve("shared-micro-" + database);
            micro = new MicroProcess(build, dir, configuration(build, database, dir));
            micro.start();
            if (!micro.logContains("BMS0001")) { // Micro says ready also when the application failed to deploy
                throw new IllegalStateException("the BMS did not start on the shared Payara Micro; see " + micro.log());
            }
            micro.awaitStartUp();
        }
        return micro.start();
    }

    /** Stops the shared server if one was started (called once, after the last test class of the execution). */
    static synchronized void stop() {
        if (micro != null) {
            micro.close();
            micro = null;
        }
    }

    private static Map<String, String> configuration(Path build, String database, Path dir) {
        Properties file = new Properties();
        Path source = build.resolve("test-classes").resolve("micro-" + database + ".properties");
        try (Reader in = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        file.stringPropertyNames().forEach(k -> config.put(k, file.getProperty(k)));
        config.put("bms.data.dir", dir.resolve("data").toAbsolutePath().toString());
        config.put("bms.mqtt.client-id", config.get("bms.mqtt.client-id") + "-shared");
        config.put("bms.server-id", serverId());
        if (config.containsKey("bms.db.schema")) {
            config.put("bms.db.schema", schema());
        }
        return config;
    }
}
