package org.bmsmqtt.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A mosquitto process of the test's own, on a loopback port, with its own configuration. */
public final class Mosquitto implements AutoCloseable {

    public static final String BINARY = "mosquitto";

    private final int port;
    private final Path dir;
    private Process process;

    public Mosquitto(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public int port() {
        return port;
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
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "max_queued_messages 0",
                    "log_dest stdout",
                    "log_type error",
                    "log_type warning",
                    ""));
            process = new ProcessBuilder(Peers.executable(BINARY), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto on port " + port + ": " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!Peers.portOpen("127.0.0.1", port)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("mosquitto did not start on port " + port + "; see " + dir);
            }
            sleep(50);
        }
        return this;
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
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
