package org.bmsmqtt.bms.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic sends the password with every request, and a PBKDF2 check costs about 0.1 s on purpose: without this
 * cache every API call would pay it. After one successful check we keep an HMAC of the password under a random key
 * that lives only in this JVM; the next request with the same password and the same stored hash is checked against
 * that HMAC (constant-time). A changed password (another stored hash) or a removed user never matches again.
 * Failed checks are not cached: every wrong guess pays the full PBKDF2 price.
 */
public final class VerificationCache {

    private record Entry(String storedHash, byte[] mac) {
    }

    private final SecretKeySpec key;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public VerificationCache() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "HmacSHA256");
    }

    public boolean matches(String username, String storedHash, char[] password) {
        Entry e = entries.get(username);
        return e != null && e.storedHash().equals(storedHash) && MessageDigest.isEqual(e.mac(), mac(password));
    }

    public void remember(String username, String storedHash, char[] password) {
        entries.put(username, new Entry(storedHash, mac(password)));
    }

    /** Keeps only the users that still exist (the cache never outgrows the user table). */
    public void retain(java.util.Set<String> usernames) {
        entries.keySet().retainAll(usernames);
    }

    private byte[] mac(char[] password) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update(bytes);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        } finally {
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }
}
