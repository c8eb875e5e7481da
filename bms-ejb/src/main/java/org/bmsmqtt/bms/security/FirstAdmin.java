package org.bmsmqtt.bms.security;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.shared.BusinessException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * First start (no user stored yet): creates the admin user {@code bms.admin.username} (default {@code admin}) with
 * {@code bms.admin.password}, or with a generated password when none is configured. Later starts do nothing, so the
 * keys only matter for a new database.
 */
@Stateless
public class FirstAdmin {

    public static final String USERNAME_KEY = "bms.admin.username";
    public static final String PASSWORD_KEY = "bms.admin.password";

    /** What was created; {@code generatedPassword} is empty when the password came from configuration. */
    public record Created(String username, Optional<String> generatedPassword) {
    }

    @Inject
    private UserService users;

    /** Creates the first admin when there is no user; the caller logs a generated password after the commit. */
    public Optional<Created> createIfNoUsers() {
        if (!users.none()) {
            return Optional.empty();
        }
        Config config = ConfigProvider.getConfig(FirstAdmin.class.getClassLoader());
        String username = config.getOptionalValue(USERNAME_KEY, String.class).orElse("admin").trim();
        Optional<String> configured = config.getOptionalValue(PASSWORD_KEY, String.class).filter(p -> !p.isEmpty());
        String password = configured.orElseGet(FirstAdmin::generate);
        try {
            users.create(username, password, List.of(Role.ADMIN));
        } catch (BusinessException e) {
            // e.g. a configured password that is too short: say which key, never the value
            String key = "password".equals(e.field()) ? PASSWORD_KEY : USERNAME_KEY;
            throw new IllegalStateException("BMS0702 cannot create the first admin user from " + key + ": "
                    + e.getMessage());
        }
        return Optional.of(new Created(username, configured.isPresent() ? Optional.empty() : Optional.of(password)));
    }

    /** 18 random bytes (144 bits) as 24 URL-safe characters: easy to copy from a log, hard to guess. */
    static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
