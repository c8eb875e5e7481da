package org.bmsmqtt.bms.integrated;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/**
 * A user of the integrated broker as an operator sets it. The password is required when the user is created; on
 * update {@code null} keeps the stored one. Permissions: MQTT topic filters to publish to and to subscribe to.
 */
public record BrokerUserSettings(String name, String username, String password, boolean enabled,
                                 List<String> publish, List<String> subscribe) {

    public BrokerUserSettings {
        username = username == null ? "" : username.trim();
        if (username.isEmpty() || username.length() > 100 || !username.matches("[A-Za-z0-9._@\\-]+")) {
            throw new InvalidValueException("username", "1..100 characters of A-Z a-z 0-9 . _ @ -");
        }
        name = name == null || name.isBlank() ? username : name.trim();
        if (name.length() > 200) {
            throw new InvalidValueException("name", "at most 200 characters");
        }
        if (password != null && (password.isEmpty() || password.length() > 200)) {
            throw new InvalidValueException("password", "1..200 characters");
        }
        publish = publish == null ? List.of() : publish;
        subscribe = subscribe == null ? List.of() : subscribe;
        permissions(publish, subscribe); // validates, naming publish[i] / subscribe[i]
    }

    public TopicPermissions permissions() {
        return permissions(publish, subscribe);
    }

    private static TopicPermissions permissions(List<String> publish, List<String> subscribe) {
        return new TopicPermissions(publish, subscribe);
    }
}
