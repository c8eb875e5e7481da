package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Payara Micro as a plain process (mqtt-ra.rar, then bms.war), for tests and benchmarks that restart the server or
 * need settings of their own. No clustering, no phone-home.
 */
public final class MicroProcess implements AutoCloseable {

    private final Path buildDir;
    private final Path workDir;
    private final Map<String, String> properties;
    private final int httpPort = Peers.freePort();
    private Process process;

    public MicroProcess(Path buildDir, Path workDir, Map<String, String> properties) {
        this.buildDir = buildDir;
        this.workDir = workDir;
        this.properties = properties;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return workDir.resolve("micro.log");
    }

    /** Starts and waits (bounded) until Payara Micro says it is ready. */
    public MicroProcess start() throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Files.deleteIfExists(log()); // "ready" must be this start's
        Properties p = new Properties();
        p.putAll(properties);
        Path props = workDir.resolve("micro.properties");
        try (var out = Files.newOutputStream(props)) {
            p.store(out, "bms benchmark / test settings");
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx1g", "-Dhazelcast.phone.home.enabled=false",
                "-jar", buildDir.resolve("payara-micro.jar").toString(), "--nocluster", "--disablephonehome",
                "--port", Integer.toString(httpPort), "--rootdir", workDir.resolve("root").toString(),
                "--systemproperties", props.toString(),
                "--deploy", buildDir.resolve("mqtt-ra.rar").toString(),
                "--deploy", buildDir.resolve("bms.war").toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited; see " + log());
            }
            if (Files.readString(log()).matches("(?s).*Payara Micro .* ready in .*")) {
                return this;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Payara Micro not ready within 240 s; see " + log());
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }
}
