package org.bmsmqtt.ra.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mosquitto process of the test's own on a loopback port, with its own configuration: extra lines (TLS,
 * passwords, ACLs) and optional persistence that survives {@link #restart()}.
 */
public final class Mosquitto implements AutoCloseable {

    public static final String BINARY = "mosquitto";

    private final int port;
    private final Path dir;
    private final List<String> extraConfig = new ArrayList<>();
    private boolean persistence;
    private boolean listenerInExtra;
    private boolean stockLimits;
    private Process process;

    public Mosquitto(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** On a free port, in a new folder under {@code parent}. */
    public static Mosquitto onFreePort(Path parent) {
        int port = Peers.freePort();
        return new Mosquitto(port, parent.resolve("mosquitto-" + port));
    }

    /** Keeps sessions and queued messages on disk across restarts. */
    public Mosquitto withPersistence() {
        this.persistence = true;
        return this;
    }

    /**
     * Runs with mosquitto's own limits, as users run it: Receive Maximum 20 towards each client
     * ({@code max_inflight_messages 20}) and at most 1000 queued messages per client ({@code max_queued_messages}).
     * Without this the test broker lifts both limits and sets TCP_NODELAY on its sockets ("tuned"), so that tests
     * asserting "nothing lost" measure the client only.
     */
    public Mosquitto withStockLimits() {
        this.stockLimits = true;
        return this;
    }

    /** Adds configuration lines; if they open the listener themselves (TLS), say so with {@code ownListener}. */
    public Mosquitto withConfig(boolean ownListener, String... lines) {
        this.listenerInExtra |= ownListener;
        extraConfig.addAll(List.of(lines));
        return this;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public synchronized Mosquitto start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(dir);
            List<String> conf = new ArrayList<>();
            conf.add("user root");
            if (!listenerInExtra) {
                conf.add("listener " + port + " 127.0.0.1");
                conf.add("allow_anonymous true");
            }
            if (!stockLimits) {
                conf.add("max_queued_messages 0");
                conf.add("max_inflight_messages 0");
                conf.add("set_tcp_nodelay true"); // mosquitto's default (false) adds ~8 ms to a QoS 1 round trip
            }
            conf.add("log_dest file " + dir.resolve("mosquitto.log"));
            conf.add("log_type error");
            conf.add("log_type warning");
            conf.add("log_type notice");
            if (persistence) {
                conf.add("persistence true");
                conf.add("persistence_location " + dir + "/");
                conf.add("autosave_interval 1");
            } else {
                conf.add("persistence false");
            }
            conf.addAll(extraConfig);
            conf.add("");
            Path file = dir.resolve("mosquitto.conf");
            Files.write(file, conf);
            process = new ProcessBuilder(Peers.executable(BINARY), "-c", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto on port " + port + ": " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!Peers.portOpen("127.0.0.1", port)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("mosquitto did not start on port " + port + "; see " + dir);
            }
            sleep(20);
        }
        return this;
    }

    /** Stops gracefully (mosquitto writes its persistence file on SIGTERM). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public Mosquitto restart() {
        stop();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
