package org.bmsmqtt.it.support;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The run command's launcher ({@code src/run/RunMicro.java}) decides from its fingerprint whether the class-data
 * archive of an earlier start fits: a fingerprint that changes with every build would never reuse the archive, one that
 * misses a changed class would start a stale root (without {@code --deploy}: the old application). Compiled here
 * from its source, as the JDK's source launcher does.
 */
class RunMicroFingerprintTest {

    private static Method fingerprint;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile(@TempDir Path classes) throws Exception {
        Path source = Path.of("src/run/RunMicro.java").toAbsolutePath();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertEquals(0, rc, "javac " + source);
        Class<?> c = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, null).loadClass("RunMicro");
        fingerprint = c.getDeclaredMethod("fingerprint", List.class, Path.class, List.class);
        fingerprint.setAccessible(true);
    }

    private String key(List<String> jvm, Path micro, Path... deploy) throws Exception {
        return (String) fingerprint.invoke(null, jvm, micro, List.of(deploy));
    }

    /** A zip of these entries, every entry stamped with {@code time} (as a build on another minute does). */
    private static byte[] zip(Map<String, byte[]> entries, long time) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(time);
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** {@code bms.war} in its own folder (the fingerprint reads the name too), with one library inside. */
    private Path war(String folder, String libClass, long time) throws IOException {
        byte[] lib = zip(Map.of("org/x/Lib.class", libClass.getBytes(StandardCharsets.UTF_8)), time);
        Path war = Files.createDirectories(dir.resolve(folder)).resolve("bms.war");
        Files.write(war, zip(Map.of("WEB-INF/classes/A.class", "a".getBytes(StandardCharsets.UTF_8),
                "WEB-INF/lib/lib.jar", lib), time));
        return war;
    }

    @Test
    void aRebuildWithTheSameContentsKeepsTheArchiveAndAChangedClassInALibraryDoesNot() throws Exception {
        Path micro = dir.resolve("payara-micro.jar");
        Files.write(micro, zip(Map.of("MICRO-INF/runtime/x.jar", new byte[] {1, 2, 3}), 0));
        List<String> jvm = List.of("-Xms96m", "-XX:+UseSerialGC", "-Dbms.http.port=8080");
        Path built = war("built", "v1", 1_000_000_000_000L);
        Path rebuilt = war("rebuilt", "v1", 1_700_000_000_000L); // packed again: new time stamps, inside and out
        Path changed = war("changed", "v2", 1_700_000_000_000L);

        assertEquals(key(jvm, micro, built), key(jvm, micro, rebuilt),
                "packed again with new time stamps, same contents: same fingerprint");
        assertNotEquals(key(jvm, micro, rebuilt), key(jvm, micro, changed),
                "a changed class in a library inside the WAR: a new fingerprint");
        assertEquals(key(jvm, micro, built),
                key(List.of("-Xms96m", "-XX:+UseSerialGC", "-Dbms.http.port=9999"), micro, built),
                "system properties (ports, folders) do not count");
        assertNotEquals(key(jvm, micro, built), key(List.of("-Xms128m", "-XX:+UseSerialGC"), micro, built),
                "other JVM options do (the archive depends on them)");
    }
}
