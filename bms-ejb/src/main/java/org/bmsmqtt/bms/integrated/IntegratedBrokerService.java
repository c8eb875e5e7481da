package org.bmsmqtt.bms.integrated;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.broker.SecretCipher;
import org.bmsmqtt.bms.security.PasswordHash;
import org.bmsmqtt.bms.shared.ConflictException;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.bms.shared.Versions;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stored side of the integrated broker: its settings (seeded from {@code bms.integrated-broker.*} at first
 * start) and its users. Every change reaches the running broker after commit ({@link IntegratedBroker}).
 */
@Stateless
public class IntegratedBrokerService {

    public static final String KEYS = "bms.integrated-broker.";

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private SecretCipher cipher;
    @Inject
    private Event<IntegratedBrokerChanged> changes;

    private final PasswordHash hasher = new PasswordHash();

    /** The stored settings; the first call stores the defaults from configuration. */
    public IntegratedBrokerConfig config() {
        IntegratedBrokerConfig c = em.find(IntegratedBrokerConfig.class, IntegratedBrokerConfig.ID);
        if (c == null) {
            c = new IntegratedBrokerConfig(defaults(), cipher);
            em.persist(c);
            em.flush();
        }
        return c;
    }

    public IntegratedBrokerConfig save(IntegratedBrokerSettings s, Long expectedVersion) {
        IntegratedBrokerConfig c = config();
        Versions.claim(em, c, c.getVersion(), expectedVersion, "integrated broker");
        c.apply(s, cipher);
        em.flush();
        changes.fire(new IntegratedBrokerChanged(true, false));
        return c;
    }

    public String keystorePassword(IntegratedBrokerConfig c) {
        return cipher.decrypt(c.getTlsKeystorePasswordEnc());
    }

    public List<BrokerUser> users() {
        return em.createQuery("select u from BrokerUser u order by u.username", BrokerUser.class).getResultList();
    }

    public Map<String, BrokerAccount> accounts() {
        return users().stream().map(BrokerUser::account)
                .collect(Collectors.toUnmodifiableMap(BrokerAccount::username, Function.identity()));
    }

    public BrokerUser user(String username) {
        return em.createQuery("select u from BrokerUser u where u.username = :n", BrokerUser.class)
                .setParameter("n", username).getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("username", "no broker user '" + username + "'"));
    }

    public BrokerUser createUser(BrokerUserSettings s) {
        if (s.password() == null) {
            throw new InvalidValueException("password", "is required for a new user");
        }
        requireFree(s.username(), null);
        BrokerUser u = new BrokerUser(s, hasher.hash(s.password().toCharArray()));
        em.persist(u);
        em.flush();
        changes.fire(new IntegratedBrokerChanged(false, true));
        return u;
    }

    /** Changes the user named {@code username}; a null password keeps the stored one. */
    public BrokerUser updateUser(String username, BrokerUserSettings s, Long expectedVersion) {
        BrokerUser u = user(username);
        Versions.claim(em, u, u.getVersion(), expectedVersion, "broker user");
        if (!s.username().equals(username)) {
            requireFree(s.username(), u.getId());
            requireUnused(username, "username", "cannot be renamed");
        }
        u.apply(s);
        if (s.password() != null) {
            u.setPasswordHash(hasher.hash(s.password().toCharArray()));
        }
        em.flush();
        changes.fire(new IntegratedBrokerChanged(false, true));
        return u;
    }

    public void deleteUser(String username, Long expectedVersion) {
        BrokerUser u = user(username);
        Versions.claim(em, u, u.getVersion(), expectedVersion, "broker user");
        requireUnused(username, "username", "cannot be deleted");
        em.remove(u);
        em.flush();
        changes.fire(new IntegratedBrokerChanged(false, true));
    }

    /**
     * The user the default internal connection logs in as: created at first start with every permission and a random
     * password nobody knows (the internal connection needs none: {@link BrokerUsers#internalPassword}).
     */
    public void ensureInternalUser(String username) {
        if (userExists(username)) {
            return;
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String unknown = java.util.Base64.getEncoder().encodeToString(random);
        em.persist(new BrokerUser(new BrokerUserSettings("internal connection of this server", username, null, true,
                List.of("#"), List.of("#")), hasher.hash(unknown.toCharArray())));
        em.flush();
        changes.fire(new IntegratedBrokerChanged(false, true));
    }

    /** Whether a user of this name exists (the internal connection of a broker definition must name one). */
    public boolean userExists(String username) {
        return em.createQuery("select count(u) from BrokerUser u where u.username = :n", Long.class)
                .setParameter("n", username).getSingleResult() > 0;
    }

    private void requireFree(String username, Long self) {
        List<Long> ids = em.createQuery("select u.id from BrokerUser u where u.username = :n", Long.class)
                .setParameter("n", username).getResultList();
        if (!ids.isEmpty() && !ids.get(0).equals(self)) {
            throw new DuplicateException("username", "a broker user '" + username + "' exists");
        }
    }

    private void requireUnused(String username, String field, String what) {
        List<String> brokers = em.createQuery("select b.name from Broker b where b.internalUser = :n", String.class)
                .setParameter("n", username).getResultList();
        if (!brokers.isEmpty()) {
            throw new ConflictException(field, "'" + username + "' " + what + ": the internal connection of broker "
                    + brokers + " uses it");
        }
    }

    static IntegratedBrokerSettings defaults() {
        Config c = ConfigProvider.getConfig(IntegratedBrokerService.class.getClassLoader());
        return new IntegratedBrokerSettings(
                c.getOptionalValue(KEYS + "start-at-boot", Boolean.class).orElse(true),
                c.getOptionalValue(KEYS + "authentication", Boolean.class).orElse(true),
                c.getOptionalValue(KEYS + "bind-address", String.class).orElse("127.0.0.1"),
                c.getOptionalValue(KEYS + "port", Integer.class).orElse(1883),
                c.getOptionalValue(KEYS + "tls-port", Integer.class).orElse(0),
                c.getOptionalValue(KEYS + "tls-keystore", String.class).orElse(""),
                c.getOptionalValue(KEYS + "tls-keystore-password", String.class).orElse(""));
    }
}
