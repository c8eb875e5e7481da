package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Payara Micro as an operator starts it: a plain {@code java -jar payara-micro.jar} process with {@code mqtt-ra.rar}
 * then {@code bms.war}, the given system properties, on a free loopback port, logging to a file. No data grid
 * (Hazelcast), so no clustering, as the run command; no phone-home.
 */
public final class MicroProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Payara Micro .* ready in");
    private static final Duration STARTUP = Duration.ofSeconds(240);
    /** When the build does not pass it.micro.jvm (e.g. a class started from an IDE): the pom's value. */
    public static final String DEFAULT_JVM =
            "-Xmx768m -Xms96m -Xmn48m -XX:+UseSerialGC -Dhazelcast.phone.home.enabled=false";

    private final Path buildDir;
    private final Path dir;
    private final Map<String, String> properties;
    private final int port;
    private List<String> deployments;
    private Process process;
    private Thread shutdownHook;

    /**
     * @param buildDir   where the itests build put payara-micro.jar, mqtt-ra.rar and bms.war
     * @param dir        this instance's folder (root dir, properties file, log)
     * @param properties the system properties (the BMS configuration)
     */
    public MicroProcess(Path buildDir, Path dir, Map<String, String> properties) {
        this.buildDir = buildDir.toAbsolutePath();
        this.dir = dir.toAbsolutePath();
        this.properties = properties;
        this.port = Peers.freePort();
        this.deployments = List.of("mqtt-ra.rar", "bms.war");
    }

    /**
     * As the run command: a single server needs no data grid (only a main / backup cluster's backup sync uses it).
     * Not together with {@code --nocluster}: with both, Micro starts Hazelcast anyway (unclustered).
     */
    private List<String> clusterOptions = List.of("--nohazelcast");
    private String jvm = System.getProperty("it.micro.jvm", DEFAULT_JVM);

    /**
     * JVM options of this process instead of {@code it.micro.jvm} (the start-up benchmark compares several side by
     * side; {@code it.micro.jvmArgs} is still added after them).
     */
    public MicroProcess jvm(String options) {
        this.jvm = options;
        return this;
    }

    /**
     * Deploys only these archives of the build folder, in this order (the benchmark's baselines: Payara Micro alone,
     * Micro with the resource adapter only); by default mqtt-ra.rar then bms.war.
     */
    public MicroProcess deploying(String... archives) {
        this.deployments = List.of(archives);
        return this;
    }

    /** Payara Micro options instead of {@code --nohazelcast} (the start-up benchmark); null: keep them. */
    public MicroProcess micro(String... options) {
        if (options != null) {
            this.clusterOptions = List.of(options);
        }
        return this;
    }

    /**
     * Joins Payara's data grid instead of {@code --nohazelcast}: these options replace them (e.g.
     * {@code --clustermode tcpip:127.0.0.1:5901,127.0.0.1:5911 --startport 5901 --interfaces 127.0.0.1}: loopback, no
     * multicast).
     */
    public MicroProcess clustering(String... options) {
        this.clusterOptions = List.of(options);
        return this;
    }

    /** Where RunMicro keeps its class-data archive and launcher roots; null: started directly, as always before. */
    private Path cdsDir;

    /**
     * Starts through the run command's launcher ({@code itests/src/run/RunMicro.java}) with its class-data archive in
     * {@code cdsDir}, as {@code mvn -Prun package} does (the start-up benchmark's class-data rows): the first start
     * with an archive dir writes the archive when it is stopped, the later ones use it.
     */
    public MicroProcess throughRunMicro(Path cdsDir) {
        this.cdsDir = cdsDir.toAbsolutePath();
        return this;
    }

    /** Whether the build put the three files in place. */
    public static boolean available(Path buildDir) {
        return Files.isRegularFile(buildDir.resolve("payara-micro.jar"))
                && Files.isRegularFile(buildDir.resolve("mqtt-ra.rar"))
                && Files.isRegularFile(buildDir.resolve("bms.war"));
    }

    public int port() {
        return port;
    }

    /** The process id of Payara Micro's JVM (while it runs; through RunMicro: its child). */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Payara Micro is not running");
        }
        if (cdsDir != null) {
            return process.toHandle().children().findFirst().map(ProcessHandle::pid)
                    .orElseThrow(() -> new IllegalStateException("RunMicro has not started Payara Micro"));
        }
        return process.pid();
    }

    public Path log() {
        return dir.resolve("micro.log");
    }

    /** The admin API root, {@code http://127.0.0.1:<port>/bms/api/v1/}. */
    public URI api() {
        return URI.create("http://127.0.0.1:" + port + "/bms/api/v1/");
    }

    /** Starts Payara Micro and waits (at most 240 s) until it says it is ready. */
    public synchronized MicroProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(dir);
            Path propertiesFile = dir.resolve("system.properties");
            Properties p = new Properties();
            p.putAll(properties);
            try (var out = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
                p.store(out, "BMS configuration of this test instance");
            }
            Files.deleteIfExists(log());
            // A fresh root folder every start: Payara Micro reloads the applications its root folder's domain.xml
            // names from the last start and THEN deploys the --deploy archives again (undeploy + deploy), so a restart
            // on the same root did every deployment twice. The BMS's data is in bms.data.dir, not here.
            deleteTree(dir.resolve("root"));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (cdsDir != null) { // RunMicro takes the command line that follows as it is; its own JVM options as
                // in the run profile (itests/pom.xml)
                command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                        "-Dbms.cds.dir=" + cdsDir, buildDir.resolveSibling("src").resolve("run/RunMicro.java")
                                .toString()));
            }
            // the same JVM options as Arquillian's Micro (itests/pom.xml, it.micro.jvm) unless jvm(...) chose others
            if (!jvm.isBlank()) {
                command.addAll(List.of(jvm.trim().split("\\s+")));
            }
            String extra = System.getProperty("it.micro.jvmArgs", "").trim(); // e.g. a profiler for the benchmark
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of(
                    "-jar", buildDir.resolve("payara-micro.jar").toString(),
                    "--disablephonehome",
                    "--port", Integer.toString(port),
                    "--rootdir", dir.resolve("root").toString(),
                    "--systemproperties", propertiesFile.toString()));
            command.addAll(clusterOptions);
            for (String archive : deployments) {
                command.addAll(List.of("--deploy", buildDir.resolve(archive).toString()));
            }
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Payara Micro: " + e.getMessage(), e);
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::kill, "stop-payara-micro-" + port);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        long end = System.nanoTime() + STARTUP.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited (" + process.exitValue() + ") while starting; see "
                        + log());
            }
            if (System.nanoTime() > end) {
                kill();
                throw new IllegalStateException("Payara Micro not ready within " + STARTUP.toSeconds() + " s; see "
                        + log());
            }
            sleep(250);
        }
        return this;
    }

    /** Stops the process (SIGTERM: the applications shut down), forcibly after 60 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            shutdownHook = null;
        }
    }

    /**
     * Waits (at most 120 s) until the BMS's start-up task is done: the datapoint engine loaded and the stored brokers'
     * sessions opened ({@code BMS0210}), which happens after Payara Micro says it is ready.
     */
    public void awaitStartUp() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!logContains("BMS0210")) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the BMS did not finish start-up (BMS0210) within 120 s; see " + log());
            }
            sleep(100);
        }
    }

    /** Whether the log contains {@code text} (e.g. a message id). */
    public boolean logContains(String text) {
        return logText().contains(text);
    }

    public String logText() {
        try {
            return Files.exists(log()) ? new String(Files.readAllBytes(log()), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean ready() {
        return READY.matcher(logText()).find();
    }

    /**
     * SIGSTOP ({@code true}) or SIGCONT: the process freezes and resumes as in a long GC pause or a VM that was
     * suspended; its sockets stay open while it is frozen.
     */
    public synchronized void freeze(boolean frozen) {
        try {
            Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + (frozen ? "-STOP " : "-CONT ") + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** kill -9: the JVM ends at once, no shutdown runs (what the broker then sees is a dead connection). */
    public synchronized void killHard() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly(); // SIGKILL on Linux
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
