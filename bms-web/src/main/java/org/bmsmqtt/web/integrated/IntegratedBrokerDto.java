package org.bmsmqtt.web.integrated;

import org.bmsmqtt.bms.integrated.IntegratedBrokerConfig;
import org.bmsmqtt.bms.integrated.IntegratedBrokerSettings;

/**
 * The integrated broker's settings as the API shows and takes them. {@code tlsKeystorePassword} is write-only
 * (never returned; left out of an update it keeps the stored one); {@code tlsKeystorePasswordSet} says whether one is
 * stored. Defaults on PUT: start at boot and authentication on, bind 127.0.0.1, port 1883, no TLS listener.
 */
public record IntegratedBrokerDto(Boolean startAtBoot, Boolean authentication, String bindAddress, Integer port,
                                  Integer tlsPort, String tlsKeystoreFile, String tlsKeystorePassword,
                                  Boolean tlsKeystorePasswordSet, Long version) {

    static IntegratedBrokerDto of(IntegratedBrokerConfig c) {
        return of(c.settings(), c.keystorePasswordSet(), c.getVersion());
    }

    /** Without the password; {@code version} null in the configuration document. */
    public static IntegratedBrokerDto of(IntegratedBrokerSettings s, boolean keystorePasswordSet, Long version) {
        return new IntegratedBrokerDto(s.startAtBoot(), s.authentication(), s.bindAddress(), s.port(), s.tlsPort(),
                s.tlsKeystoreFile(), null, keystorePasswordSet, version);
    }

    public IntegratedBrokerSettings settings() {
        return new IntegratedBrokerSettings(startAtBoot == null || startAtBoot, authentication == null || authentication,
                bindAddress == null ? "127.0.0.1" : bindAddress, port == null ? 1883 : port,
                tlsPort == null ? 0 : tlsPort, tlsKeystoreFile, tlsKeystorePassword);
    }
}
