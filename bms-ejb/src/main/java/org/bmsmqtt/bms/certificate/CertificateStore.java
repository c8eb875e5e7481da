package org.bmsmqtt.bms.certificate;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.shared.ConflictException;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.bms.storage.DataFolder;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * The certificate folder {@code <data folder>/certs}: the TLS files brokers name ({@code caFile},
 * {@code clientCertFile}, {@code clientKeyFile}). Files are added whole (checked first, written under a temporary
 * name and moved into place), never overwritten, and deleted only while no broker names them.
 */
@Stateless
public class CertificateStore {

    public static final int MAX_SIZE = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(CertificateStore.class.getName());

    @PersistenceContext(unitName = "bms")
    private EntityManager em;

    public static Path folder() {
        return DataFolder.path(ConfigProvider.getConfig(CertificateStore.class.getClassLoader())).resolve("certs");
    }

    public List<CertificateInfo> list() {
        Path dir = folder();
        List<CertificateInfo> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".")) {
                    all.add(describe(name, f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        all.sort(Comparator.comparing(CertificateInfo::name));
        return all;
    }

    public CertificateInfo get(String name) {
        CertificateName.require(name, "name");
        Path f = folder().resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new NotFoundException("name", "no certificate file named '" + name + "'");
        }
        return describe(name, f);
    }

    /** @param password only to read a PKCS#12 file's certificates; never stored, never logged. */
    public CertificateInfo add(String name, byte[] content, char[] password) {
        CertificateName.require(name, "name");
        if (content != null && content.length > MAX_SIZE) {
            throw new InvalidValueException("file", "at most " + MAX_SIZE + " bytes");
        }
        CertificateInfo info = CertificateReader.read(name, content, password);
        Path dir = folder();
        Path target = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".upload-", ".tmp");
            try {
                Files.write(temp, content);
                // a hard link fails when the name exists: two uploads of one name cannot both win
                Files.createLink(target, temp);
                if ("PKCS12".equals(info.type()) && info.subject() != null && password != null && password.length > 0) {
                    CertificateSidecar.write(dir, info); // what the password let us read; not the password
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new DuplicateException("name", "a certificate file named '" + name + "' exists: delete it first, or "
                    + "choose another name");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        LOG.info("BMS0400 certificate file " + name + " added (" + info.type() + ", " + info.subject() + ")");
        return info;
    }

    public void delete(String name) {
        get(name);
        List<String> users = em.createQuery("select b.name from Broker b where b.tlsCaFile = :n "
                + "or b.tlsClientCertFile = :n or b.tlsClientKeyFile = :n order by b.name", String.class)
                .setParameter("n", name).getResultList();
        if (!users.isEmpty()) {
            throw new ConflictException("name", "certificate file '" + name + "' is used by broker(s) "
                    + String.join(", ", users));
        }
        try {
            Files.deleteIfExists(folder().resolve(name));
            CertificateSidecar.delete(folder(), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + name, e);
        }
        LOG.info("BMS0401 certificate file " + name + " deleted");
    }

    /** A broker may only name a file that is there: otherwise a 400 naming {@code field}. */
    public void requirePresent(String name, String field) {
        if (name == null || name.isEmpty()) {
            return;
        }
        CertificateName.require(name, field);
        if (!Files.isRegularFile(folder().resolve(name))) {
            throw new InvalidValueException(field, "no certificate file named '" + name
                    + "': upload it with POST /certificates first");
        }
    }

    private static CertificateInfo describe(String name, Path f) {
        try {
            byte[] content = Files.readAllBytes(f);
            try {
                CertificateInfo info = CertificateReader.read(name, content, null);
                return info.subject() != null ? info
                        : CertificateSidecar.read(f.getParent(), name).map(i -> i.named(name, content.length)).orElse(info);
            } catch (RuntimeException e) {
                // a file put there by hand that is not one of the formats: listed, but without details
                return new CertificateInfo(name, "UNKNOWN", null, null, null, null, 0, content.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
