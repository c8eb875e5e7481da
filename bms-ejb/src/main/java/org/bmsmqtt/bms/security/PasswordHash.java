package org.bmsmqtt.bms.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PBKDF2-HMAC-SHA256 password hashes from the JDK. The stored string carries everything needed to verify it, so the
 * iteration count can grow later without breaking stored hashes: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * (salt and hash in base64, 16 and 32 bytes). Comparison is constant-time.
 */
public final class PasswordHash {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; about 0.15 s here, paid once per login thanks to the cache. */
    public static final int DEFAULT_ITERATIONS = 310_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public PasswordHash() {
        this(DEFAULT_ITERATIONS);
    }

    public PasswordHash(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public String hash(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("empty password");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} matches {@code stored}; false for anything not in our format. */
    public static boolean verify(char[] password, String stored) {
        if (password == null || password.length == 0 || stored == null) {
            return false; // no stored hash is of an empty password (the JDK's PBKDF2 refuses an empty one)
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || expected.length * 8 != HASH_BITS) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }
}
