package org.bmsmqtt.bms.security;

/** Fired by {@link UserService} when a user came, changed or went; {@link UserDirectory} reloads after commit. */
public record UsersChanged(String username) {
}
