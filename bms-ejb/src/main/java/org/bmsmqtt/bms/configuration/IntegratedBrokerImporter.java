package org.bmsmqtt.bms.configuration;

import jakarta.persistence.EntityManager;
import org.bmsmqtt.bms.broker.SecretCipher;
import org.bmsmqtt.bms.integrated.BrokerUser;
import org.bmsmqtt.bms.integrated.BrokerUserSettings;
import org.bmsmqtt.bms.integrated.IntegratedBrokerConfig;
import org.bmsmqtt.bms.integrated.IntegratedBrokerSettings;
import org.bmsmqtt.bms.security.PasswordHash;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The integrated broker's part of export and import, inside the configuration service's transaction. Settings are
 * applied when they differ from the stored ones (the broker restarts only then); users are created and updated by
 * username, and mode replace deletes the users the document leaves out. Checked before anything is written: a new
 * user has a password, and every broker's internal connection names a user that exists after the import. Failures
 * name the entry, e.g. {@code integratedBroker.users[2].password} or {@code brokers[0].internalUser}.
 */
final class IntegratedBrokerImporter {

    /** What the import changed, for the running broker after commit. */
    record Changes(boolean settings, int usersCreated, int usersUpdated, int usersDeleted) {
        boolean users() {
            return usersCreated + usersUpdated + usersDeleted > 0;
        }
    }

    private final EntityManager em;
    private final SecretCipher cipher;

    IntegratedBrokerImporter(EntityManager em, SecretCipher cipher) {
        this.em = em;
        this.cipher = cipher;
    }

    IntegratedBrokerSection export() {
        IntegratedBrokerConfig c = em.find(IntegratedBrokerConfig.class, IntegratedBrokerConfig.ID);
        List<BrokerUserSettings> users = storedUsers().values().stream()
                .sorted((a, b) -> a.getUsername().compareTo(b.getUsername())).map(IntegratedBrokerImporter::settings)
                .toList();
        return new IntegratedBrokerSection(true, c == null ? null : c.settings(), c != null && c.keystorePasswordSet(),
                users);
    }

    /**
     * Before anything is written: new users have a password; the document's brokers connect internally as a user that
     * exists after the import (merge deletes no user, so the brokers it leaves alone keep theirs).
     */
    void check(ConfigurationImport doc) {
        Map<String, BrokerUser> stored = storedUsers();
        List<BrokerUserSettings> users = doc.integratedBroker().users();
        Set<String> after = new HashSet<>(users == null || !doc.replace() ? stored.keySet() : Set.of());
        if (users != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < users.size(); i++) {
                BrokerUserSettings u = users.get(i);
                String at = "integratedBroker.users[" + i + "]";
                if (!seen.add(u.username())) {
                    throw new InvalidValueException(at + ".username", "the document names broker user '"
                            + u.username() + "' twice");
                }
                if (u.password() == null && !stored.containsKey(u.username())) {
                    throw new InvalidValueException(at + ".password", "broker user '" + u.username() + "' is new on "
                            + "this server and needs a password (exported documents carry none)");
                }
                after.add(u.username());
            }
        }
        for (int i = 0; i < doc.brokers().size(); i++) {
            String user = doc.brokers().get(i).internalUser();
            if (!user.isEmpty() && !after.contains(user)) {
                throw new InvalidValueException("brokers[" + i + "].internalUser", "the integrated broker has no user '"
                        + user + "' after this import" + (users == null ? "" : ": name it under integratedBroker.users"));
            }
        }
    }

    Changes apply(ConfigurationImport doc) {
        IntegratedBrokerSection section = doc.integratedBroker();
        boolean settings = section.settings() != null && importSettings(section.settings());
        if (section.users() == null) {
            return new Changes(settings, 0, 0, 0);
        }
        Map<String, BrokerUser> stored = storedUsers();
        PasswordHash hasher = new PasswordHash();
        int created = 0, updated = 0, deleted = 0;
        Set<String> named = new HashSet<>();
        for (BrokerUserSettings s : section.users()) {
            named.add(s.username());
            BrokerUser u = stored.get(s.username());
            if (u == null) {
                em.persist(new BrokerUser(s, hasher.hash(s.password().toCharArray())));
                created++;
            } else if (s.password() != null || !settings(u).equals(s)) {
                u.apply(s);
                if (s.password() != null) {
                    u.setPasswordHash(hasher.hash(s.password().toCharArray()));
                }
                updated++;
            }
        }
        if (doc.replace()) {
            for (BrokerUser u : stored.values()) {
                if (!named.contains(u.getUsername())) {
                    em.remove(u);
                    deleted++;
                }
            }
        }
        return new Changes(settings, created, updated, deleted);
    }

    private boolean importSettings(IntegratedBrokerSettings s) {
        IntegratedBrokerConfig c = em.find(IntegratedBrokerConfig.class, IntegratedBrokerConfig.ID);
        if (c == null) {
            em.persist(new IntegratedBrokerConfig(s, cipher));
            return true;
        }
        boolean passwordChanges = s.tlsKeystorePassword() != null
                && !s.tlsKeystorePassword().equals(cipher.decrypt(c.getTlsKeystorePasswordEnc()));
        IntegratedBrokerSettings withoutSecret = new IntegratedBrokerSettings(s.startAtBoot(), s.authentication(),
                s.bindAddress(), s.port(), s.tlsPort(), s.tlsKeystoreFile(), null);
        if (!passwordChanges && c.settings().equals(withoutSecret)) {
            return false;
        }
        c.apply(s, cipher);
        return true;
    }

    private Map<String, BrokerUser> storedUsers() {
        Map<String, BrokerUser> byName = new HashMap<>();
        em.createQuery("select u from BrokerUser u", BrokerUser.class).getResultList()
                .forEach(u -> byName.put(u.getUsername(), u));
        return byName;
    }

    /** A stored user's settings, without its password. */
    private static BrokerUserSettings settings(BrokerUser u) {
        return new BrokerUserSettings(u.getName(), u.getUsername(), null, u.isEnabled(), u.permissions().publish(),
                u.permissions().subscribe());
    }
}
