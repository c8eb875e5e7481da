package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A full Payara Server 6 driven by asadmin, the way an operator deploys the EAR: a throw-away domain on free ports,
 * server-level configuration properties, {@code asadmin deploy}. Phone-home and Hazelcast are off so nothing leaves
 * the machine.
 */
public final class PayaraServer implements AutoCloseable {

    private static final String DOMAIN = "bmsit";

    private final Path home;
    private final Path domainDir;
    private final Path log;
    private final int portBase;
    private boolean started;

    public PayaraServer(Path home, Path workDir) {
        this.home = home;
        this.domainDir = workDir.resolve("domains");
        this.log = workDir.resolve("asadmin.log");
        this.portBase = freePortBase();
    }

    public static boolean installed(Path home) {
        return Files.isRegularFile(home.resolve("bin/asadmin"));
    }

    public int httpPort() {
        return portBase + 80;
    }

    public int adminPort() {
        return portBase + 48;
    }

    public Path serverLog() {
        return domainDir.resolve(DOMAIN).resolve("logs/server.log");
    }

    /** Creates and starts the domain and sets the given server-level MicroProfile Config properties. */
    public PayaraServer start(Map<String, String> config) {
        deleteTree(domainDir);
        asadmin("create-domain", "--nopassword=true", "--portbase", Integer.toString(portBase),
                "--domaindir", domainDir.toString(), DOMAIN);
        keepOnThisMachine(domainDir.resolve(DOMAIN).resolve("config/domain.xml"));
        asadmin("start-domain", "--domaindir", domainDir.toString(), DOMAIN);
        started = true;
        // One asadmin (multimode) for all properties: each asadmin call is a JVM start, about 0.9 s apiece here.
        // A value the command file's tokenizer could read otherwise (blanks, quotes, backslashes) is set on its own.
        StringBuilder commands = new StringBuilder();
        int batched = 0;
        for (Map.Entry<String, String> e : config.entrySet()) {
            String line = "set-config-property --source=domain --propertyName=" + e.getKey() + " --propertyValue="
                    + e.getValue();
            if (e.getValue().matches("[^\\s\"'\\\\]*") && e.getKey().matches("[\\w.-]+")) {
                commands.append(line).append('\n');
                batched++;
            } else {
                remote("set-config-property", "--source=domain", "--propertyName=" + e.getKey(),
                        "--propertyValue=" + e.getValue());
            }
        }
        if (commands.length() > 0) {
            try {
                Path file = domainDir.resolve("config-properties.asadmin");
                Files.writeString(file, commands.toString(), StandardCharsets.UTF_8);
                remote("multimode", "--file", file.toString());
                // multimode's exit status is its LAST command's: count that every one of them succeeded
                String all = Files.readString(log);
                String output = all.substring(all.lastIndexOf(" multimode --file "));
                int ok = output.split("Command set-config-property executed successfully", -1).length - 1;
                if (ok != batched) {
                    throw new IllegalStateException(ok + " of " + batched + " set-config-property commands succeeded:\n"
                            + output);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the asadmin command file or read its log: "
                        + e.getMessage(), e);
            }
        }
        return this;
    }

    public void deploy(Path archive) {
        remote("deploy", "--force=true", archive.toString());
    }

    /** Stops and starts the domain: what an operator's restart does. */
    public void restart() {
        asadmin("restart-domain", "--domaindir", domainDir.toString(), DOMAIN);
    }

    @Override
    public void close() {
        if (started) {
            started = false;
            asadmin("stop-domain", "--domaindir", domainDir.toString(), DOMAIN);
        }
    }

    private void remote(String... args) {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(adminPort()), "--host", "127.0.0.1"));
        all.addAll(List.of(args));
        asadmin(all.toArray(String[]::new));
    }

    private void asadmin(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/asadmin").toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "\n$ asadmin " + String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("asadmin " + args[0] + " took more than 240 s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("asadmin " + String.join(" ", args) + " failed (exit " + p.exitValue()
                        + "):\n" + tail(log) + "\nserver log: " + serverLog());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run asadmin: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** No phone-home to Payara's site, no Hazelcast: a test domain talks to loopback only. */
    private static void keepOnThisMachine(Path domainXml) {
        try {
            String xml = Files.readString(domainXml);
            xml = xml.replaceFirst("<hazelcast-runtime-configuration ",
                    "<phone-home-runtime-configuration enabled=\"false\"></phone-home-runtime-configuration>\n"
                            + "    <hazelcast-runtime-configuration enabled=\"false\" ");
            xml = xml.replaceFirst("(<java-config [^>]*>)",
                    "$1\n        <jvm-options>-Dhazelcast.phone.home.enabled=false</jvm-options>");
            Files.writeString(domainXml, xml);
        } catch (IOException e) {
            throw new IllegalStateException("cannot adjust " + domainXml + ": " + e.getMessage(), e);
        }
    }

    private static int freePortBase() {
        int[] offsets = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + 100 * (int) (Math.random() * 400);
            boolean free = true;
            for (int off : offsets) {
                if (Peers.portOpen("127.0.0.1", base + off)) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range for Payara Server");
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }
}
