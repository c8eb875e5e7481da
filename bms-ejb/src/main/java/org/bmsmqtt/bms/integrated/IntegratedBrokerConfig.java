package org.bmsmqtt.bms.integrated;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.bmsmqtt.bms.broker.SecretCipher;

/** The stored settings of the integrated broker: one row, id 1. The keystore password is kept encrypted. */
@Entity
@Table(name = "integrated_broker")
public class IntegratedBrokerConfig {

    public static final long ID = 1L;

    @Id
    private Long id;
    @Column(name = "start_at_boot")
    private boolean startAtBoot;
    private boolean authentication;
    @Column(name = "bind_address")
    private String bindAddress;
    private int port;
    @Column(name = "tls_port")
    private int tlsPort;
    @Column(name = "tls_keystore_file")
    private String tlsKeystoreFile;
    @Column(name = "tls_keystore_password_enc")
    private String tlsKeystorePasswordEnc;
    @Version
    private long version;

    protected IntegratedBrokerConfig() {
    }

    public IntegratedBrokerConfig(IntegratedBrokerSettings s, SecretCipher cipher) {
        id = ID;
        apply(s, cipher);
    }

    public final void apply(IntegratedBrokerSettings s, SecretCipher cipher) {
        startAtBoot = s.startAtBoot();
        authentication = s.authentication();
        bindAddress = s.bindAddress();
        port = s.port();
        tlsPort = s.tlsPort();
        tlsKeystoreFile = s.tlsKeystoreFile();
        if (s.tlsKeystorePassword() != null || tlsKeystorePasswordEnc == null) {
            tlsKeystorePasswordEnc = cipher.encrypt(s.tlsKeystorePassword());
        }
    }

    /** The settings without the secret (the password reads as null: "keep it"). */
    public IntegratedBrokerSettings settings() {
        return new IntegratedBrokerSettings(startAtBoot, authentication, bindAddress, port, tlsPort, tlsKeystoreFile, null);
    }

    public String getTlsKeystorePasswordEnc() {
        return tlsKeystorePasswordEnc;
    }

    public boolean keystorePasswordSet() {
        return tlsKeystorePasswordEnc != null && !tlsKeystorePasswordEnc.isEmpty();
    }

    public long getVersion() {
        return version;
    }
}
