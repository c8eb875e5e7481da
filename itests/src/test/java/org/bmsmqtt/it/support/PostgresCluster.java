package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own: {@code initdb} into a folder, on a free loopback port, trust authentication
 * for 127.0.0.1, the Unix socket in that folder. It can be stopped and started again (an outage). PostgreSQL refuses
 * to run as root: as root, every command runs as the {@code postgres} user, who then owns the folder.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final String OS_USER = "postgres";
    private static final int PG_CTL_TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean initialized;
    private volatile boolean running;
    private Thread shutdownHook;

    /** A cluster in {@code dir} (created; must not hold an older cluster) on a free port. */
    public PostgresCluster(Path dir) {
        this.bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin");
        }
        this.dir = dir.toAbsolutePath();
        this.data = this.dir.resolve("data");
        this.log = this.dir.resolve("commands.log");
        this.port = Peers.freePort();
    }

    /**
     * The newest {@code /usr/lib/postgresql/<version>/bin} holding initdb and pg_ctl, or the folder named by the
     * system property {@code it.pg.bin}; null when there is none.
     */
    public static Path binaries() {
        String configured = System.getProperty("it.pg.bin");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return hasServer(p) ? p : null;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(PostgresCluster::hasServer)
                    .max(Comparator.comparingDouble(PostgresCluster::version)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the server binaries are here (and, as root, a way to run them as {@code postgres}). */
    public static boolean installed() {
        return binaries() != null && (!root() || Peers.executable("runuser") != null);
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** The JDBC URL of a database of this cluster. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The superuser (trust authentication, no password). */
    public String user() {
        return OS_USER;
    }

    public boolean running() {
        return running;
    }

    /** Creates the cluster on first use, then starts it and waits until it accepts connections. */
    public synchronized PostgresCluster start() {
        if (running) {
            return this;
        }
        if (!initialized) {
            initialize();
        }
        run("pg_ctl", "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(), "-w",
                "-t", Integer.toString(PG_CTL_TIMEOUT_SECONDS), "start");
        running = true;
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::stopImmediately, "stop-postgres-" + port);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return this;
    }

    /** A clean fast shutdown: sessions are ended, the server checkpoints and exits. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", Integer.toString(PG_CTL_TIMEOUT_SECONDS),
                "stop");
        running = false;
    }

    /** Creates a database owned by the superuser. */
    public void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), OS_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            stopImmediately();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            shutdownHook = null;
        }
    }

    private void stopImmediately() {
        if (running) {
            try {
                run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "20", "stop");
            } catch (RuntimeException e) {
                // best effort on the way out
            }
            running = false;
        }
    }

    private void initialize() {
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            if (root()) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(OS_USER);
                Files.setOwner(dir, postgres);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        run("initdb", "-D", data.toString(), "-U", OS_USER, "--auth=trust", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions");
        appendAsOwner(data.resolve("postgresql.conf"), String.join("\n",
                "",
                "# the test's own cluster: loopback only, its own port and socket folder",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir + "'",
                "max_connections = 100",
                "logging_collector = off",
                ""));
        writeAsOwner(data.resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "host all all 127.0.0.1/32 trust",
                ""));
        initialized = true;
    }

    /** Writes a file inside the cluster folder (the commands run as postgres; so must its files be). */
    private void writeAsOwner(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void appendAsOwner(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of(Peers.executable("runuser"), "-u", OS_USER, "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Files.writeString(log, "\n$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(PG_CTL_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " took too long; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (exit " + p.exitValue()
                        + "); see " + log + " and " + dir.resolve("postgres.log") + ":\n" + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean hasServer(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))
                && Files.isExecutable(bin.resolve("postgres"));
    }

    private static double version(Path bin) {
        try {
            return Double.parseDouble(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean root() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
