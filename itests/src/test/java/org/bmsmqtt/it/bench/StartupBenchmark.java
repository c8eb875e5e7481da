package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start-up benchmark: {@code mvn -Pbench-startup -DskipTests verify} from the repository root (it builds what it
 * starts with {@code -pl itests -am}; nothing needs to be installed first).
 *
 * <p>For each shape, {@code bench.startupRuns} (3) starts, median (min-max): seconds from launch to ready, Payara
 * Micro's own "ready in", seconds from launch until MicroProfile Health readiness is UP (every broker session
 * connected), the CPU time the process used until ready, and resident memory (RSS) and used heap (after a full GC) 5 s after ready. Shapes:
 * Payara Micro alone and Micro with mqtt-ra.rar only (the baselines: what the BMS adds is the difference), the BMS on
 * an empty H2 database (the run command's defaults), the BMS on PostgreSQL (schema {@code bench.startupSchema},
 * {@code bms_startup}) with SCALE_BROKERS brokers and SCALE_DATAPOINTS datapoints. Then the README's run command
 * itself ({@code mvn -Prun package}, offline, warm repository): seconds until it prints BMS0001.
 *
 * <p>{@code bench.startupShapes} (default {@code alone,rar,h2,pg}) chooses the shapes. {@code bench.startupJvms}
 * compares JVM option sets side by side: several {@code it.micro.jvm} values separated by {@code |}, started
 * interleaved (run 1 of each, then run 2 of each, ...) so the machine's load falls on all of them alike; each shape
 * gets a row per option set. In a set, what follows {@code --} are Payara Micro options that replace the default
 * {@code --nohazelcast} (e.g. {@code -Xms32m -XX:+UseSerialGC -- --nocluster}: with Hazelcast, unclustered).
 */
public final class StartupBenchmark {

    private static final int RUNS = Integer.getInteger("bench.startupRuns", 3);
    private static final Pattern READY_IN = Pattern.compile("ready in ([\\d,]+) \\(ms\\)");

    record Start(double seconds, double readyIn, double healthReady, double cpuSeconds, double rssMb, double heapMb) {
    }

    private final Path build = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
    private final String pgUrl = System.getProperty("it.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String schema = System.getProperty("bench.startupSchema", "bms_startup");
    private final List<String> shapes =
            List.of(System.getProperty("bench.startupShapes", "alone,rar,h2,h2cds,pg,pgcds").split(","));
    private final List<String> jvms = jvms();
    private final Map<String, List<Start>> results = new LinkedHashMap<>();

    /** The JVM option sets to compare: bench.startupJvms split at '|', else it.micro.jvm alone. */
    private static List<String> jvms() {
        String variants = System.getProperty("bench.startupJvms", "").trim();
        if (variants.isEmpty()) {
            return List.of(System.getProperty("it.micro.jvm", ""));
        }
        return java.util.Arrays.stream(variants.split("\\|")).map(String::trim).toList();
    }

    /** The JVM options of a set: what comes before {@code --}. */
    private static String jvm(String set) {
        int i = (" " + set + " ").indexOf(" -- ");
        return i < 0 ? set : set.substring(0, i).trim();
    }

    /** The Payara Micro options of a set (what follows {@code --}); none: the default ones. */
    private static String[] microOptions(String set) {
        int i = (" " + set + " ").indexOf(" -- ");
        if (i < 0) {
            return null;
        }
        String rest = (" " + set + " ").substring(i + 4).trim();
        return rest.isEmpty() ? new String[0] : rest.split("\\s+");
    }

    /** The row of a shape started with option set {@code v}: the shape's name, then the set's number when several. */
    private String row(String shape, int v) {
        return jvms.size() == 1 ? shape : shape + " [jvm " + (v + 1) + "]";
    }

    public static void main(String[] args) throws Exception {
        new StartupBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        Path work = build.resolve("bench-startup");
        BmsBenchmark.deleteTree(work);
        try (Mosquitto broker = Mosquitto.onFreePort(work).start()) {
            try {
                measure(work, broker);
            } finally {
                print();
            }
        }
    }

    private void measure(Path work, Mosquitto broker) throws Exception {
        Map<String, String> h2 = config(work.resolve("h2"), broker);
        if (shapes.contains("h2cds")) {
            for (int v = 0; v < jvms.size(); v++) { // the archive: written when this first start stops
                train(new MicroProcess(build, work.resolve("h2cds-train-" + v), config(work.resolve("h2cds-train-data-"
                        + v), broker)).jvm(jvm(jvms.get(v))).micro(microOptions(jvms.get(v))), work.resolve("cds-h2-" + v));
            }
        }
        for (int i = 0; i < RUNS; i++) {
            for (int v = 0; v < jvms.size(); v++) {
                String jvm = jvm(jvms.get(v));
                String[] micro = microOptions(jvms.get(v));
                String n = i + "-" + (v + 1);
                if (shapes.contains("alone")) {
                    results.computeIfAbsent(row("Payara Micro alone (baseline)", v), k -> new ArrayList<>())
                            .add(start(new MicroProcess(build, work.resolve("alone-" + n), h2).jvm(jvm).micro(micro)
                                    .deploying(), false));
                }
                if (shapes.contains("rar")) {
                    results.computeIfAbsent(row("Micro + mqtt-ra.rar (baseline)", v), k -> new ArrayList<>())
                            .add(start(new MicroProcess(build, work.resolve("rar-" + n), h2).jvm(jvm).micro(micro)
                                    .deploying("mqtt-ra.rar"), false));
                }
                if (shapes.contains("h2")) {
                    // a new data folder each time: the database is empty, as on the first run command
                    results.computeIfAbsent(row("BMS, empty H2 database", v), k -> new ArrayList<>())
                            .add(start(new MicroProcess(build, work.resolve("h2-" + n), config(
                                    work.resolve("h2-data-" + n), broker)).jvm(jvm).micro(micro), true));
                }
                if (shapes.contains("h2cds")) {
                    results.computeIfAbsent(row("BMS, empty H2 database, class-data archive", v),
                            k -> new ArrayList<>()).add(start(new MicroProcess(build, work.resolve("h2cds-" + n),
                            config(work.resolve("h2cds-data-" + n), broker)).jvm(jvm).micro(micro)
                            .throughRunMicro(work.resolve("cds-h2-" + v)), true));
                }
            }
        }
        if (shapes.contains("pg") || shapes.contains("pgcds")) {
            Map<String, String> pg = new LinkedHashMap<>(config(work.resolve("pg-data"), broker));
            pg.putAll(Map.of("bms.db.url", pgUrl, "bms.db.user", "postgres", "bms.db.schema", schema));
            try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "")) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            try (MicroProcess first = new MicroProcess(build, work.resolve("pg"), pg)) {
                first.start(); // creates the schema
            }
            ScaleBench.seed(pgUrl, schema, broker.port());
            String scale = "BMS, " + ScaleBench.SCALE_BROKERS + " brokers + " + ScaleBench.SCALE_DATAPOINTS
                    + " datapoints (PostgreSQL)";
            if (shapes.contains("pgcds")) {
                for (int v = 0; v < jvms.size(); v++) {
                    train(new MicroProcess(build, work.resolve("pgcds-train-" + v), pg).jvm(jvm(jvms.get(v)))
                            .micro(microOptions(jvms.get(v))), work.resolve("cds-pg-" + v));
                }
            }
            for (int i = 0; i < RUNS; i++) {
                for (int v = 0; v < jvms.size(); v++) {
                    if (shapes.contains("pg")) {
                        results.computeIfAbsent(row(scale, v), k -> new ArrayList<>()).add(start(new MicroProcess(
                                build, work.resolve("pg"), pg).jvm(jvm(jvms.get(v))).micro(microOptions(jvms.get(v))),
                                true));
                    }
                    if (shapes.contains("pgcds")) {
                        results.computeIfAbsent(row(scale + ", class-data archive", v), k -> new ArrayList<>())
                                .add(start(new MicroProcess(build, work.resolve("pgcds-" + i), pg).jvm(jvm(jvms.get(v)))
                                        .micro(microOptions(jvms.get(v))).throughRunMicro(work.resolve("cds-pg-" + v)),
                                        true));
                    }
                }
            }
        }
        if (!Boolean.getBoolean("bench.skipRunCommand")) {
            for (int i = 0; i < RUNS; i++) {
                results.computeIfAbsent("README run command (mvn -o -Prun package) to BMS0001", k -> new ArrayList<>())
                        .add(runCommand(work.resolve("run-" + i)));
            }
        }
    }

    /**
     * The start that writes a class-data archive (through the run command's launcher, RunMicro): started, stopped
     * (SIGTERM: the JVM writes the archive as it exits), not measured; the archive must exist afterwards.
     */
    private static void train(MicroProcess micro, Path cdsDir) throws IOException {
        long t0 = System.nanoTime();
        try (micro) {
            micro.throughRunMicro(cdsDir).start();
        }
        try (var files = Files.walk(cdsDir)) {
            if (files.noneMatch(f -> f.getFileName().toString().equals("bms.jsa"))) {
                throw new IllegalStateException("no class-data archive in " + cdsDir + " after the first start; see "
                        + micro.log());
            }
        }
        System.out.printf("   class-data archive written in %s (first start and stop: %.1f s)%n", cdsDir,
                (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, String> config(Path data, Mosquitto broker) {
        return Map.of("bms.data.dir", data.toString(), "bms.mqtt.server-uri", broker.uri(),
                "bms.mqtt.client-id", "bms-startup-" + data.getFileName(), "bms.server-id", "bms-startup",
                "bms.admin.password", Http.ADMIN_PASSWORD, "bms.integrated-broker.start-at-boot", "true",
                "bms.integrated-broker.port", Integer.toString(org.bmsmqtt.ra.testing.Peers.freePort()));
    }

    private Start start(MicroProcess micro, boolean bms) throws Exception {
        try (micro) {
            long t0 = System.nanoTime();
            micro.start();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(micro.pid()); // what the start cost, whatever else the machine is doing
            if (bms && !micro.logContains("BMS0001")) {
                throw new IllegalStateException("the BMS did not announce its API; see " + micro.log());
            }
            double healthReady = bms ? healthReady(micro, t0) : Double.NaN;
            Matcher m = READY_IN.matcher(micro.logText());
            double readyIn = m.find() ? Double.parseDouble(m.group(1).replace(",", "")) / 1000 : Double.NaN;
            Thread.sleep(5000); // what start-up left running settles (sessions, the integrated broker)
            double[] memory = memory(micro.pid());
            Start s = new Start(seconds, readyIn, healthReady, cpu, memory[0], memory[1]);
            System.out.printf("   %s: %.1f s, health ready %.1f s, CPU %.1f s, RSS %.0f MB, heap %.0f MB (load %s)%n",
                    micro.log().getParent().getFileName(), seconds, healthReady, cpu, memory[0], memory[1], load());
            return s;
        }
    }

    /** The machine's load averages (1, 5, 15 min) from /proc/loadavg: a figure means little without them. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Seconds from launch until MicroProfile Health readiness ({@code /health/ready}) answers 200: every check UP, so
     * every broker session connected (readiness {@code brokers}). Polled every 100 ms, at most 120 s after ready.
     */
    private static double healthReady(MicroProcess micro, long t0) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + micro.port() + "/health/ready");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(100);
        }
        return Double.NaN;
    }

    /**
     * CPU time (user + system, all threads) the process used so far, from /proc. On a shared machine the wall-clock
     * start time moves with the neighbours' load; the CPU a start costs moves much less.
     */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100 on Linux)
    }

    /**
     * CPU ticks (USER_HZ) used so far by each of a process's JIT compiler threads (C1 and C2), by thread id, from
     * /proc; null when the process is not readable. Per thread, because Java 17 starts and ends compiler threads as
     * the queue needs them: a sum over the threads alive would go down when one ends.
     */
    static java.util.Map<String, Long> compilerTicks(long pid) {
        java.util.Map<String, Long> ticks = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm"));
                    if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.put(t.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return null;
        }
        return ticks;
    }

    /** CPU seconds the compiler threads used between two {@link #compilerTicks} (NaN when either is unknown). */
    static double compilerSeconds(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        if (before == null || after == null) {
            return Double.NaN;
        }
        long ticks = 0;
        for (var e : after.entrySet()) { // a thread that ended meanwhile counts nothing; one that started, all it used
            ticks += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return ticks / 100.0;
    }

    /** RSS from /proc, heap used after a full GC from jcmd (both in MB). */
    static double[] memory(long pid) throws Exception {
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
        double rssMb = rss.find() ? Long.parseLong(rss.group(1)) / 1024.0 : Double.NaN;
        jcmd(pid, "GC.run");
        // G1 prints one "garbage-first heap ... used nK" line, the serial collector one per generation ("def new
        // generation", "tenured generation"): the heap is the sum of those, Metaspace lines are not heap
        Matcher used = Pattern.compile("(?m)^\\s*(garbage-first heap|def new generation|tenured generation|"
                + "PSYoungGen|ParOldGen).*?used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        long usedKb = 0;
        boolean found = false;
        while (used.find()) {
            usedKb += Long.parseLong(used.group(2));
            found = true;
        }
        double heapMb = found ? usedKb / 1024.0 : Double.NaN;
        return new double[] {rssMb, heapMb};
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** The README's run command from the repository root, until it prints BMS0001; then the whole tree is stopped. */
    private Start runCommand(Path dir) throws Exception {
        Path root = build.getParent().getParent();
        Files.createDirectories(dir);
        Path log = dir.resolve("run.log");
        long t0 = System.nanoTime();
        Process mvn = new ProcessBuilder("mvn", "-o", "-B", "-Prun", "package",
                "-Dbms.data.dir=" + dir.resolve("data"), "-Dbms.http.port=" + org.bmsmqtt.ra.testing.Peers.freePort(),
                "-Dbms.broker.port=" + org.bmsmqtt.ra.testing.Peers.freePort())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!Files.readString(log).contains("BMS0001")) {
                if (!mvn.isAlive() || System.nanoTime() > end) {
                    throw new IllegalStateException("the run command did not print BMS0001; see " + log);
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Matcher m = READY_IN.matcher(Files.readString(log));
            double readyIn = m.find() ? Double.parseDouble(m.group(1).replace(",", "")) / 1000 : Double.NaN;
            System.out.printf("   run command: BMS0001 after %.1f s%n", seconds);
            return new Start(seconds, readyIn, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        } finally {
            mvn.descendants().forEach(ProcessHandle::destroy);
            mvn.destroy();
            if (!mvn.waitFor(60, TimeUnit.SECONDS)) {
                mvn.descendants().forEach(ProcessHandle::destroyForcibly);
                mvn.destroyForcibly();
            }
        }
    }

    private void print() {
        System.out.println();
        System.out.println("== start-up, median (min-max) of " + RUNS + " on this machine ("
                + Runtime.getRuntime().availableProcessors() + " cores, load average now " + load() + ")");
        for (int v = 0; v < jvms.size(); v++) {
            System.out.println((jvms.size() == 1 ? "JVM options: " : "jvm " + (v + 1) + ": ") + jvms.get(v));
        }
        System.out.printf("%-60s %-18s %-18s %-18s %-18s %-20s %-18s%n", "", "launch to ready s", "Micro ready in s",
                "to health ready s", "CPU to ready s", "RSS MB", "heap used MB");
        for (var e : results.entrySet()) {
            List<Start> s = e.getValue();
            System.out.printf("%-60s %-18s %-18s %-18s %-18s %-20s %-18s%n", e.getKey(), stat(s, Start::seconds),
                    stat(s, Start::readyIn), stat(s, Start::healthReady), stat(s, Start::cpuSeconds),
                    stat(s, Start::rssMb), stat(s, Start::heapMb));
        }
    }

    private static String stat(List<Start> starts, java.util.function.ToDoubleFunction<Start> f) {
        double[] v = starts.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        return String.format("%.1f (%.1f-%.1f)", v[v.length / 2], v[0], v[v.length - 1]);
    }
}
