package org.bmsmqtt.bms.integrated;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.bmsmqtt.bms.security.PasswordHash;
import org.bmsmqtt.bms.security.VerificationCache;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Subject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Artemis asks this class who may connect and what they may do. Users come from the BMS (PBKDF2 hashes, enabled flag,
 * topic permissions) as an immutable snapshot that is swapped whole on every change.
 * <p>
 * The internal connection (a broker definition of the BMS that points at this broker) logs in as one of these users
 * with a password that exists only in this JVM: an HMAC of the user name under a key made at start-up. It is never
 * stored, shown or logged, and it is worth nothing after a restart. The user's enabled flag and permissions apply to
 * it like to anybody else.
 * <p>
 * Artemis checks MQTT operations as core operations on addresses that are the MQTT topics (the server's wildcard
 * syntax is MQTT's): publish = SEND on the topic; subscribe = CREATE_*_QUEUE and CONSUME on {@code filter::queue};
 * both CREATE_ADDRESS first. Everything else (management, browsing) is refused.
 */
public final class BrokerUsers implements ActiveMQSecurityManager5 {

    private static final String INTERNAL_PREFIX = "bms-internal:";
    private final SecretKeySpec internalKey;
    private final VerificationCache cache = new VerificationCache();
    private final String decoyHash;
    private volatile Map<String, BrokerAccount> accounts = Map.of();

    public BrokerUsers() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        internalKey = new SecretKeySpec(k, "HmacSHA256");
        decoyHash = new PasswordHash(10_000).hash("decoy-never-used".toCharArray());
    }

    /** Replaces every account at once. */
    public void replace(Map<String, BrokerAccount> byUsername) {
        accounts = Map.copyOf(byUsername);
        cache.retain(byUsername.keySet());
    }

    public Map<String, BrokerAccount> accounts() {
        return accounts;
    }

    /** The password of the internal connection for {@code username}: valid in this JVM only, never stored. */
    public String internalPassword(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(internalKey);
            return INTERNAL_PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether the user exists, is enabled and {@code password} is right. */
    public boolean check(String username, String password) {
        BrokerAccount a = username == null ? null : accounts.get(username);
        if (password == null || password.isEmpty()) {
            return false;
        }
        if (a == null) {
            PasswordHash.verify(password.toCharArray(), decoyHash); // the same work either way
            return false;
        }
        if (password.startsWith(INTERNAL_PREFIX)) {
            return a.enabled() && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                    internalPassword(username).getBytes(StandardCharsets.UTF_8));
        }
        char[] secret = password.toCharArray();
        boolean ok = cache.matches(username, a.passwordHash(), secret) || PasswordHash.verify(secret, a.passwordHash());
        if (ok) {
            cache.remember(username, a.passwordHash(), secret);
        }
        return ok && a.enabled();
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (!check(user, password)) {
            return null;
        }
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(user));
        return s;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        String user = subject.getPrincipals(UserPrincipal.class).stream().findFirst().map(UserPrincipal::getName).orElse(null);
        BrokerAccount a = user == null ? null : accounts.get(user);
        if (a == null || !a.enabled()) {
            return false;
        }
        int fq = address.indexOf("::");
        String topic = fq >= 0 ? address.substring(0, fq) : address;
        TopicPermissions p = a.permissions();
        return switch (checkType) {
            case SEND -> p.canPublish(topic);
            case CREATE_ADDRESS, DELETE_ADDRESS -> p.canPublish(topic) || p.canSubscribe(topic);
            case CREATE_DURABLE_QUEUE, CREATE_NON_DURABLE_QUEUE, DELETE_DURABLE_QUEUE, DELETE_NON_DURABLE_QUEUE,
                    CONSUME -> p.canSubscribe(topic);
            default -> false;
        };
    }

    @Override
    public boolean validateUser(String user, String password) {
        return check(user, password);
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false; // only the Subject-based check above is used (ActiveMQSecurityManager5)
    }
}
