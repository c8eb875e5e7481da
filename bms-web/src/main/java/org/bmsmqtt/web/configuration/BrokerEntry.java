package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerSettings;
import org.bmsmqtt.bms.broker.EcosystemSettings;

import java.util.List;

/**
 * A broker in the configuration document, matched by name on import. Secrets are never exported: the export says
 * whether one is stored ({@code passwordSet}, {@code keyPasswordSet}); an import without {@code password} /
 * {@code keyPassword} keeps the stored ones (a new broker then has none).
 */
public record BrokerEntry(String name, String path, String host, Integer port, String clientId, String username,
                          String password, Boolean passwordSet, Integer reconnectIntervalSeconds,
                          Integer keepAliveSeconds, Boolean tls, List<String> tlsVersions, String caFile,
                          String clientCertFile, String clientKeyFile, String keyPassword, Boolean keyPasswordSet,
                          Boolean hostnameVerification, Long antiEchoMillis, Boolean enabled, String internalUser,
                          Boolean confirmCommands, Boolean availability, String availabilityTopic,
                          String payloadOnline, String payloadOffline, Boolean discovery, String discoveryPrefix) {

    static BrokerEntry of(Broker b) {
        BrokerSettings s = b.settingsWithoutSecrets();
        EcosystemSettings e = s.ecosystem();
        return new BrokerEntry(s.name(), s.path(), s.host(), s.port(), s.clientId(), s.username(), null,
                !b.getPasswordEnc().isEmpty(), s.reconnectIntervalSeconds(), s.keepAliveSeconds(), s.tls(),
                s.tlsVersions(), s.caFile(), s.clientCertFile(), s.clientKeyFile(), null,
                !b.getTlsKeyPasswordEnc().isEmpty(), s.hostnameVerification(), s.antiEchoMillis(), s.enabled(),
                s.internalUser().isEmpty() ? null : s.internalUser(), s.confirmCommands(), e.availability(),
                e.availabilityTopic().isEmpty() ? null : e.availabilityTopic(), e.payloadOnline(), e.payloadOffline(),
                e.discovery(), e.discoveryPrefix());
    }

    /** The same defaults as {@code POST /brokers}. */
    BrokerSettings settings() {
        if (tlsVersions != null && tlsVersions.contains(null)) {
            throw new org.bmsmqtt.bms.shared.InvalidValueException("tlsVersions", "no null entries");
        }
        return new BrokerSettings(name, path, host, port == null ? (Boolean.TRUE.equals(tls) ? 8883 : 1883) : port,
                clientId, username, password, reconnectIntervalSeconds == null ? 5 : reconnectIntervalSeconds,
                keepAliveSeconds == null ? 30 : keepAliveSeconds, Boolean.TRUE.equals(tls), tlsVersions, caFile,
                clientCertFile, clientKeyFile, keyPassword, hostnameVerification == null || hostnameVerification,
                antiEchoMillis == null ? BrokerSettings.DEFAULT_ANTI_ECHO_MILLIS : antiEchoMillis,
                enabled == null || enabled, internalUser, confirmCommands == null || confirmCommands,
                new EcosystemSettings(availability == null || availability, availabilityTopic, payloadOnline,
                        payloadOffline, Boolean.TRUE.equals(discovery), discoveryPrefix));
    }
}
