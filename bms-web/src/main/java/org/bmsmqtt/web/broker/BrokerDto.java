package org.bmsmqtt.web.broker;

import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerSettings;
import org.bmsmqtt.bms.broker.EcosystemSettings;

import java.util.List;

/**
 * A broker as the API shows and takes it. {@code password} and {@code keyPassword} are write-only: they are never
 * returned (null fields are left out of JSON); leaving them out of an update keeps the stored ones.
 * {@code internalUser}: the internal connection to this server's integrated broker as that broker user; host, port,
 * credentials and TLS then come from the integrated broker and need not be given. {@code confirmCommands} (default
 * true): commands from this broker are confirmed on the report topic on it too; false: values from it are not sent
 * back to it within {@code antiEchoMillis}. {@code availability} (default true): birth {@code payloadOnline} and last
 * will {@code payloadOffline}, retained, on {@code availabilityTopic} (left out: {@code <path>/status}, following the path);
 * {@code discovery} (default false): Home Assistant MQTT discovery under {@code discoveryPrefix} ({@code homeassistant}).
 */
public record BrokerDto(Long id, String name, String path, String host, Integer port, String clientId, String username,
                        String password, Integer reconnectIntervalSeconds, Integer keepAliveSeconds, Boolean tls,
                        List<String> tlsVersions, String caFile, String clientCertFile, String clientKeyFile,
                        String keyPassword, Boolean hostnameVerification, Long antiEchoMillis, Boolean enabled,
                        String internalUser, Boolean confirmCommands, Boolean availability, String availabilityTopic,
                        String payloadOnline, String payloadOffline, Boolean discovery, String discoveryPrefix,
                        Long version) {

    static BrokerDto of(Broker b) {
        BrokerSettings s = b.settingsWithoutSecrets();
        EcosystemSettings e = s.ecosystem();
        return new BrokerDto(b.getId(), s.name(), s.path(), s.host(), s.port(), s.clientId(), s.username(), null,
                s.reconnectIntervalSeconds(), s.keepAliveSeconds(), s.tls(), s.tlsVersions(), s.caFile(),
                s.clientCertFile(), s.clientKeyFile(), null, s.hostnameVerification(), s.antiEchoMillis(), s.enabled(),
                s.internalUser().isEmpty() ? null : s.internalUser(), s.confirmCommands(), e.availability(),
                e.availabilityTopic().isEmpty() ? null : e.availabilityTopic(), e.payloadOnline(), e.payloadOffline(), e.discovery(),
                e.discoveryPrefix(), b.getVersion());
    }

    BrokerSettings settings() {
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
