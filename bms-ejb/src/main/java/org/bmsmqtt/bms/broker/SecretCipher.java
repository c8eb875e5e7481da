package org.bmsmqtt.bms.broker;

import jakarta.enterprise.context.ApplicationScoped;
import org.bmsmqtt.bms.storage.DataFolder;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Encrypts the secrets we must present to others (broker passwords, key passwords) with AES-256-GCM. The key comes
 * from {@code bms.secret-key} (base64 of 32 bytes); without it a key is generated once into
 * {@code <data folder>/secret.key} (owner-only). Stored form: {@code v1:<base64(iv|ciphertext)>}; empty stays empty.
 */
@ApplicationScoped
public class SecretCipher {

    private static final Logger LOG = Logger.getLogger(SecretCipher.class.getName());
    private static final String PREFIX = "v1:";
    private final SecureRandom random = new SecureRandom();
    private volatile SecretKeySpec key;

    public String encrypt(String plain) {
        if (plain == null || plain.isEmpty()) {
            return "";
        }
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(ct, 0, all, iv.length, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret: " + e.getMessage(), e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null || stored.isEmpty()) {
            return "";
        }
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("a stored secret is not in a known format");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, all, 0, 12));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt a stored secret: was bms.secret-key changed?", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(loadKey(ConfigProvider.getConfig(SecretCipher.class.getClassLoader())), "AES");
                }
                k = key;
            }
        }
        return k;
    }

    static byte[] loadKey(Config config) {
        String configured = config.getOptionalValue("bms.secret-key", String.class).orElse("");
        try {
            if (!configured.isBlank()) {
                return check(Base64.getDecoder().decode(configured.trim()));
            }
            Path file = DataFolder.path(config).resolve("secret.key");
            if (Files.exists(file)) {
                return check(Base64.getDecoder().decode(Files.readString(file).trim()));
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            LOG.info("BMS0400 generated the secret key " + file + " (set bms.secret-key to supply your own)");
            return fresh;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("bms.secret-key: " + e.getMessage(), e);
        }
    }

    private static byte[] check(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("must be the base64 of 32 random bytes, got " + key.length + " bytes");
        }
        return key;
    }
}
