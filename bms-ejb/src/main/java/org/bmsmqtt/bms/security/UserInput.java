package org.bmsmqtt.bms.security;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks what a caller sends for a user. Messages name the field but never repeat a password.
 */
public final class UserInput {

    /** No ':' (HTTP Basic splits user and password at the first one), no spaces or control characters. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1000;

    private UserInput() {
    }

    public static String username(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException("username", "is required");
        }
        if (!USERNAME.matcher(value).matches()) {
            throw new InvalidValueException("username", "1 to 100 characters of A-Z a-z 0-9 . _ @ -");
        }
        return value;
    }

    public static char[] password(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("password", "is required");
        }
        if (value.length() < MIN_PASSWORD || value.length() > MAX_PASSWORD) {
            throw new InvalidValueException("password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters long");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || Character.isISOControl(c)) {
                // Payara's HTTP Basic (Soteria) splits the decoded header at every ':' and would never see the rest
                throw new InvalidValueException("password", "must not contain ':' or control characters");
            }
        }
        return value.toCharArray();
    }

    public static Set<String> roles(List<String> value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("roles", "at least one of " + new TreeSet<>(Role.ALL));
        }
        Set<String> roles = new TreeSet<>();
        for (String r : value) {
            if (r == null || !Role.ALL.contains(r)) {
                throw new InvalidValueException("roles", "unknown role '" + r + "': only " + new TreeSet<>(Role.ALL));
            }
            roles.add(r);
        }
        return roles;
    }
}
