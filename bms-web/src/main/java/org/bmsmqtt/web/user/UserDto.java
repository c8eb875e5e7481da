package org.bmsmqtt.web.user;

import org.bmsmqtt.bms.security.BmsUser;

import java.util.List;

/** A user as the API shows it: name and roles. The password hash never leaves the server. */
public record UserDto(String username, List<String> roles) {

    static UserDto of(BmsUser u) {
        return new UserDto(u.getUsername(), u.getRoles().stream().sorted().toList());
    }
}
