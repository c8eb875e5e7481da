package org.bmsmqtt.web.integrated;

import org.bmsmqtt.bms.integrated.BrokerUser;
import org.bmsmqtt.bms.integrated.BrokerUserSettings;
import org.bmsmqtt.bms.integrated.TopicPermissions;

import java.util.List;

/**
 * A user of the integrated broker. {@code password} is write-only: required on create, never returned, left out of
 * an update it keeps the stored one. {@code publish} / {@code subscribe}: MQTT topic filters the user may publish to
 * and subscribe to ({@code ["#"]}: everything); none given: nothing. {@code enabled} true by default.
 */
public record BrokerUserDto(String name, String username, String password, Boolean enabled, List<String> publish,
                            List<String> subscribe, Long version) {

    static BrokerUserDto of(BrokerUser u) {
        TopicPermissions p = u.permissions();
        return new BrokerUserDto(u.getName(), u.getUsername(), null, u.isEnabled(), p.publish(), p.subscribe(),
                u.getVersion());
    }

    /** Without the password and the version: a user in the configuration document. */
    public static BrokerUserDto of(BrokerUserSettings s) {
        return new BrokerUserDto(s.name(), s.username(), null, s.enabled(), s.publish(), s.subscribe(), null);
    }

    public BrokerUserSettings settings() {
        return new BrokerUserSettings(name, username, password, enabled == null || enabled, publish, subscribe);
    }
}
