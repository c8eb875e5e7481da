package org.bmsmqtt.bms.integrated;

/** A user of the integrated broker as the login check sees it (no plain password anywhere). */
public record BrokerAccount(String username, String passwordHash, boolean enabled, TopicPermissions permissions) {
}
