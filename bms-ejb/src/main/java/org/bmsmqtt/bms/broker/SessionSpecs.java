package org.bmsmqtt.bms.broker;

import org.bmsmqtt.bms.cluster.ClusterRole;
import org.bmsmqtt.bms.integrated.IntegratedBroker;
import org.bmsmqtt.bms.storage.DataFolder;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.TlsSpec;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;

/**
 * What session a stored {@link Broker} becomes: its {@link BrokerSpec} - an external broker (TCP or TLS with the
 * certificate files of the data folder, secrets decrypted) or the internal connection to the integrated broker - with
 * the member's own client id and no availability on a broker shared by all members (active-active).
 */
final class SessionSpecs {

    private final ClusterRole role;
    private final IntegratedBroker integratedBroker;
    private final SecretCipher cipher;

    SessionSpecs(ClusterRole role, IntegratedBroker integratedBroker, SecretCipher cipher) {
        this.role = role;
        this.integratedBroker = integratedBroker;
        this.cipher = cipher;
    }

    /**
     * A shared broker (active-active) is held by every member at once: each with a client id of its own (the broker's
     * plus the member's name), and without availability, since no single session stands for the server.
     */
    BrokerSpec of(Broker b) {
        BrokerSpec spec = baseSpec(b);
        if (!role.shares(b.getName())) {
            return spec;
        }
        return new BrokerSpec(spec.name(), spec.serverUris(), spec.clientId() + "-" + role.member(), spec.username(),
                spec.password(), spec.keepAliveSeconds(), spec.connectTimeoutSeconds(), spec.reconnectIntervalSeconds(),
                spec.sessionExpirySeconds(), spec.receiveMaximum(), spec.tls(), org.bmsmqtt.ra.api.Availability.OFF);
    }

    private BrokerSpec baseSpec(Broker b) {
        if (!b.getInternalUser().isEmpty()) {
            var internal = integratedBroker.internalConnection(b.getInternalUser());
            return BrokerSpec.of(String.valueOf(b.getId()), "tcp://" + internal.host() + ":" + internal.port(),
                            b.getClientId())
                    .withCredentials(internal.username(), internal.password())
                    .withReconnectInterval(b.getReconnectInterval())
                    .withTimings(b.getKeepAlive(), BrokerSpec.DEFAULT_CONNECT_TIMEOUT, BrokerSpec.DEFAULT_SESSION_EXPIRY)
                    .withAvailability(b.ecosystem().sessionAvailability(b.getPath(), b.getName()));
        }
        String scheme = b.isTlsEnabled() ? "ssl" : "tcp";
        Path certs = DataFolder.path(ConfigProvider.getConfig(BrokerRegistry.class.getClassLoader())).resolve("certs");
        TlsSpec tls = new TlsSpec(b.tlsVersionList(), file(certs, b.getTlsCaFile()), "",
                file(certs, b.getTlsClientCertFile()), file(certs, b.getTlsClientKeyFile()),
                cipher.decrypt(b.getTlsKeyPasswordEnc()), b.isTlsHostnameVerification());
        return BrokerSpec.of(String.valueOf(b.getId()), scheme + "://" + b.getHost() + ":" + b.getPort(), b.getClientId())
                .withCredentials(b.getUsername(), cipher.decrypt(b.getPasswordEnc()))
                .withReconnectInterval(b.getReconnectInterval())
                .withTimings(b.getKeepAlive(), BrokerSpec.DEFAULT_CONNECT_TIMEOUT, BrokerSpec.DEFAULT_SESSION_EXPIRY)
                .withTls(tls)
                .withAvailability(b.ecosystem().sessionAvailability(b.getPath(), b.getName()));
    }

    private static String file(Path dir, String name) {
        return name == null || name.isEmpty() ? "" : dir.resolve(name).toString();
    }
}
