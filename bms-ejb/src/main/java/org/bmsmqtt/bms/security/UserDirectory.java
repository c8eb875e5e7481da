package org.bmsmqtt.bms.security;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The users as the login check sees them: held in memory (there are few), reloaded after every committed change.
 * A login therefore needs no database: the admin API stays usable while the database is away (values and status
 * are served from memory then too). Creates the first admin at first start ({@link FirstAdmin}).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class.getName());

    private record Account(String username, String passwordHash, Set<String> roles) {
    }

    @Inject
    private UserService users;
    @Inject
    private FirstAdmin firstAdmin;

    private final VerificationCache cache = new VerificationCache();
    private volatile Map<String, Account> accounts = Map.of();
    private volatile String decoyHash;

    @PostConstruct
    void start() {
        firstAdmin.createIfNoUsers().ifPresent(created -> {
            if (created.generatedPassword().isPresent()) {
                // The only place a password is ever logged, after the commit, once: there is no other way to learn it.
                LOG.warning("BMS0700 created the first admin user '" + created.username() + "' with the generated "
                        + "password " + created.generatedPassword().get() + " -- it is shown only this once: log in "
                        + "and change it (PUT /api/v1/users/" + created.username() + "), or set bms.admin.password "
                        + "before the first start");
            } else {
                LOG.info("BMS0701 created the first admin user '" + created.username() + "' with the password of "
                        + FirstAdmin.PASSWORD_KEY);
            }
        });
        reload();
        decoyHash = new PasswordHash().hash("decoy-password-never-used".toCharArray());
    }

    /** The roles of {@code username} when {@code password} is right; empty otherwise. */
    public Optional<Set<String>> authenticate(String username, char[] password) {
        Account a = username == null ? null : accounts.get(username);
        if (a == null) {
            // the same work as for a wrong password: response times do not tell which user names exist
            PasswordHash.verify(password, decoyHash);
            return Optional.empty();
        }
        if (cache.matches(a.username(), a.passwordHash(), password)) {
            return Optional.of(a.roles());
        }
        if (!PasswordHash.verify(password, a.passwordHash())) {
            return Optional.empty();
        }
        cache.remember(a.username(), a.passwordHash(), password);
        return Optional.of(a.roles());
    }

    public void onUsersChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) UsersChanged change) {
        reload();
    }

    private void reload() {
        Map<String, Account> fresh = users.list().stream()
                .map(u -> new Account(u.getUsername(), u.getPasswordHash(), u.getRoles()))
                .collect(Collectors.toUnmodifiableMap(Account::username, Function.identity()));
        accounts = fresh;
        cache.retain(fresh.keySet());
        LOG.fine(() -> "BMS0703 " + fresh.size() + " users loaded");
    }
}
