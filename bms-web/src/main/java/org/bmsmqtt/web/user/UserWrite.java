package org.bmsmqtt.web.user;

import java.util.List;

/**
 * What a caller sends to create ({@code username}, {@code password}, {@code roles}) or change a user ({@code password}
 * and/or {@code roles}; a missing one stays as it is). The password is write-only.
 */
public record UserWrite(String username, String password, List<String> roles) {
}
