import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The README's run command ({@code mvn -Prun package}) starts Payara Micro through this program, run by the JDK's
 * source launcher ({@code java RunMicro.java <jvm options> -jar payara-micro.jar <Micro options>}, the command line
 * it used to run itself), to start faster with application class-data sharing (AppCDS, a dynamic archive).
 *
 * <p>Why a program: Micro runs in its launcher mode ({@code --outputlauncher} unpacks the runtime into a root folder
 * once, {@code launch-micro.jar} puts it on the JDK's class path, as the archive needs); the JVM checks the class path
 * jars by path, size and time, so that root must stay as it is while its archive is used; the root's domain.xml then
 * deploys the applications again, so no {@code --deploy} on those starts. Hence one root per fingerprint (JDK, Payara,
 * the deployed archives' contents, the JVM options except system properties) under {@code bms.cds.dir}, and roots of
 * other fingerprints deleted:
 * <ul>
 * <li>no archive in the root yet: a fresh root, Micro started with {@code --deploy} as before plus
 * {@code -XX:ArchiveClassesAtExit}; the JVM writes the archive when it stops in order (Ctrl+C, SIGTERM). That start
 * is 4-9 s slower (a separate {@code --warmup} training start would cost a whole start, 40 s, each time the
 * application changes). The archive becomes {@code bms.jsa} only once that JVM ended without being killed;
 * <li>an archive that a JVM with the same options maps ({@code -Xshare:on -version}, 0.2 s) and a domain.xml that names
 * every deployed archive: Micro started from the root with {@code -XX:SharedArchiveFile} and without {@code --deploy}.
 * </ul>
 * {@code -Dbms.cds=false} runs the command line unchanged. One run command at a time owns {@code bms.cds.dir} (a file
 * lock, held until the archive is written); another waits for it up to a minute, then starts without CDS.
 */
public class RunMicro {

    static final String PREFIX = "RunMicro: ";
    static volatile Process child; // the JVM this program started last
    static volatile Path written, archive; // the archive Payara writes at exit, and its name once complete
    static boolean finished;
    static FileLock lock; // held until this JVM exits

    public static void main(String[] args) throws Exception {
        // Ctrl+C reaches Payara too, but Maven stopping the exec (or a benchmark) reaches only this JVM
        Runtime.getRuntime().addShutdownHook(new Thread(() -> finish(true)));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int jarAt = List.of(args).indexOf("-jar");
        List<String> jvm = List.of(args).subList(0, jarAt);
        Path microJar = Path.of(args[jarAt + 1]);
        List<String> micro = new ArrayList<>();
        List<Path> deploy = new ArrayList<>();
        for (int i = jarAt + 2; i < args.length; i++) {
            switch (args[i]) {
                case "--rootdir" -> i++; // the plain start's root; CDS uses roots of its own
                case "--deploy" -> deploy.add(Path.of(args[++i]));
                default -> micro.add(args[i]);
            }
        }
        if (!Boolean.parseBoolean(System.getProperty("bms.cds", "true"))) {
            System.out.println(PREFIX + "class-data sharing off (-Dbms.cds=false)");
            System.exit(run(plain(java, args)));
        }
        Path cdsDir = Path.of(System.getProperty("bms.cds.dir", microJar.resolveSibling("micro-cds").toString()));
        Files.createDirectories(cdsDir);
        lock = lock(cdsDir);
        if (lock == null) {
            System.out.println(PREFIX + "starting without class-data sharing");
            System.exit(run(plain(java, args)));
        }

        String key = fingerprint(jvm, microJar, deploy);
        try (Stream<Path> roots = Files.list(cdsDir)) {
            for (Path other : roots.filter(p -> Files.isDirectory(p) && !p.endsWith(key)).toList()) {
                deleteTree(other);
            }
        }
        Path root = cdsDir.resolve(key);
        Path jsa = root.resolve("bms.jsa");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        boolean archiving = !usable(java, jvm, root, jsa, deploy);
        if (archiving) {
            deleteTree(root);
            int rc = run(List.of(java, "-jar", microJar.toString(), "--rootdir", root.toString(), "--outputlauncher"));
            if (rc != 0) {
                throw new IllegalStateException("Payara Micro --outputlauncher failed with exit code " + rc);
            }
            // the JVM's warnings about classes it cannot archive (a thousand lines at exit) go to a file
            cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + root.resolve("bms.jsa.tmp"), "-Xlog:cds*=off",
                    "-Xlog:cds*=warning:file=" + root.resolve("cds-dump.log")));
            System.out.println(PREFIX + "class-data archive: none yet (new JDK, Payara, application or JVM options);"
                    + " written to " + jsa + " when Payara stops (Ctrl+C), used from the next start on");
        } else {
            cmd.add("-XX:SharedArchiveFile=" + jsa);
            System.out.printf("%sclass-data archive: used, %s (%d MB)%n", PREFIX, jsa, Files.size(jsa) >> 20);
        }
        cmd.addAll(List.of("-jar", root.resolve("launch-micro.jar").toString()));
        cmd.addAll(micro);
        if (archiving) {
            deploy.forEach(d -> cmd.addAll(List.of("--deploy", d.toString())));
            written = root.resolve("bms.jsa.tmp");
            archive = jsa;
        }
        int rc = run(cmd);
        finish(false);
        System.exit(rc);
    }

    /** Once, when Payara ended or this JVM stops (then it stops Payara): its archive complete if it exited in order. */
    static synchronized void finish(boolean stop) {
        Process p = child;
        if (finished) {
            return;
        }
        finished = true;
        if (p == null) {
            return;
        }
        try {
            if (stop) {
                p.destroy();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            int rc = p.exitValue(); // 128 + signal: 129, 130 and 143 are the JVM's orderly exits on a signal
            if (written == null) {
                return;
            } else if (Files.isRegularFile(written) && Files.size(written) > 0
                    && (rc < 128 || rc == 129 || rc == 130 || rc == 143)) {
                Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
                System.out.printf("%sclass-data archive written (%d MB), used from the next start on%n", PREFIX,
                        Files.size(archive) >> 20);
            } else {
                System.out.println(PREFIX + "no class-data archive written (exit code " + rc + ")");
            }
        } catch (IOException | InterruptedException e) {
            System.out.println(PREFIX + "class-data archive: " + e);
        }
    }

    /** The lock on the CDS folder, waiting up to a minute for another run command; null if it did not come. */
    static FileLock lock(Path cdsDir) throws IOException, InterruptedException {
        var file = FileChannel.open(cdsDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        for (int s = 0; s < 60; s++) {
            FileLock lock = file.tryLock();
            if (lock != null) {
                return lock;
            }
            if (s == 0) {
                System.out.println(PREFIX + "another run command holds " + cdsDir + " (or still writes its archive);"
                        + " waiting up to 60 s");
            }
            Thread.sleep(1000);
        }
        return null;
    }

    /** The command line as it was given, started with this JDK. */
    static List<String> plain(String java, String[] args) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static int run(List<String> cmd) throws IOException, InterruptedException {
        synchronized (RunMicro.class) {
            if (finished) {
                throw new InterruptedException("stopping");
            }
            child = new ProcessBuilder(cmd).inheritIO().start();
        }
        return child.waitFor();
    }

    /** The archive exists, the root still deploys every archive, and a JVM with these options maps the archive. */
    static boolean usable(String java, List<String> jvm, Path root, Path jsa, List<Path> deploy)
            throws IOException, InterruptedException {
        Path domainXml = root.resolve("config/domain.xml");
        if (!Files.isRegularFile(jsa) || !Files.isRegularFile(domainXml)) {
            return false;
        }
        String domain = Files.readString(domainXml);
        for (Path d : deploy) {
            String name = d.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            if (!domain.contains("name=\"" + name + "\"")) {
                System.out.println(PREFIX + root + " does not deploy " + name + " (did its first start fail?)");
                return false;
            }
        }
        List<String> check = new ArrayList<>(List.of(java));
        check.addAll(jvm.stream().filter(o -> !o.startsWith("-D")).toList());
        check.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-cp",
                root.resolve("launch-micro.jar").toString(), "-version"));
        // in the root: a damaged archive crashes the JVM (even with -Xshare:auto), which leaves an hs_err file
        Process p = new ProcessBuilder(check).directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            System.out.println(PREFIX + "class-data archive " + jsa + " not usable (exit code " + p.exitValue()
                    + out.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().map(l -> ": " + l)
                    .orElse("") + ")");
            return false;
        }
        return true;
    }

    /**
     * 16 hex digits of a SHA-256 over the JDK, the JVM options except system properties (ports and folders change from
     * run to run, the archive does not depend on them), and the entries of Payara Micro and of the deployed archives
     * (name, size and CRC-32 from the zip's directory; the archives inside the deployed ones, their libraries, read
     * entry by entry, because Maven packs them again with new time stamps on every build, so neither their bytes nor
     * their size and time stay the same). About 0.4 s, most of it inflating the WAR's libraries.
     */
    static String fingerprint(List<String> jvm, Path microJar, List<Path> deploy) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<String> key = new ArrayList<>(List.of(System.getProperty("java.home"),
                System.getProperty("java.vm.version")));
        key.addAll(jvm.stream().filter(o -> !o.startsWith("-D")).toList());
        key.forEach(k -> add(md, k));
        digestZip(md, microJar, false);
        for (Path d : deploy) {
            digestZip(md, d, true);
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    static void digestZip(MessageDigest md, Path file, boolean intoArchives) throws IOException {
        add(md, file.getFileName().toString());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (var e : zip.stream().sorted(Comparator.comparing(z -> z.getName())).toList()) {
                if (!intoArchives || !e.getName().matches(".*\\.(jar|rar|war)")) {
                    add(md, e.getName() + " " + e.getSize() + " " + e.getCrc());
                    continue;
                }
                add(md, e.getName());
                try (InputStream in = zip.getInputStream(e); ZipInputStream inner = new ZipInputStream(in)) {
                    for (var n = inner.getNextEntry(); n != null; n = inner.getNextEntry()) {
                        inner.transferTo(OutputStream.nullOutputStream()); // then its size and CRC are known
                        add(md, n.getName() + " " + n.getSize() + " " + n.getCrc());
                    }
                }
            }
        }
    }

    static void add(MessageDigest md, String line) {
        md.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true); // the JVM writes its archive read-only (Windows refuses to delete that)
                Files.delete(p);
            }
        }
    }
}
