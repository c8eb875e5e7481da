package org.bmsmqtt.bms.certificate;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What was read from a PKCS#12 file with the password given at upload (subject, issuer, validity), kept next to it
 * as {@code .<name>.properties}, so that listing shows it later without the password, which is never stored.
 */
final class CertificateSidecar {

    private CertificateSidecar() {
    }

    static void write(Path dir, CertificateInfo info) throws IOException {
        Properties p = new Properties();
        p.setProperty("type", info.type());
        p.setProperty("subject", info.subject());
        p.setProperty("issuer", info.issuer());
        p.setProperty("notBefore", info.notBefore().toString());
        p.setProperty("notAfter", info.notAfter().toString());
        p.setProperty("certificates", String.valueOf(info.certificates()));
        try (Writer w = Files.newBufferedWriter(file(dir, info.name()))) {
            p.store(w, "read from " + info.name() + " at upload");
        }
    }

    static Optional<CertificateInfo> read(Path dir, String name) {
        Path f = file(dir, name);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
            return Optional.of(new CertificateInfo(name, p.getProperty("type"), p.getProperty("subject"),
                    p.getProperty("issuer"), Instant.parse(p.getProperty("notBefore")),
                    Instant.parse(p.getProperty("notAfter")), Integer.parseInt(p.getProperty("certificates")), 0));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void delete(Path dir, String name) throws IOException {
        Files.deleteIfExists(file(dir, name));
    }

    private static Path file(Path dir, String name) {
        return dir.resolve("." + name + ".properties");
    }
}
