package org.bmsmqtt.bms.broker;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.util.Arrays;
import java.util.List;

/** A stored broker configuration. Secrets are kept encrypted ({@link SecretCipher}). */
@Entity
@Table(name = "broker")
public class Broker {

    @Id
    @SequenceGenerator(name = "broker_seq", sequenceName = "broker_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "broker_seq")
    private Long id;
    @Column(nullable = false, unique = true)
    private String name;
    private String path;
    private String host;
    private int port;
    @Column(name = "client_id")
    private String clientId;
    private String username;
    @Column(name = "password_enc")
    private String passwordEnc;
    @Column(name = "reconnect_interval")
    private int reconnectInterval;
    @Column(name = "keep_alive")
    private int keepAlive;
    @Column(name = "tls_enabled")
    private boolean tlsEnabled;
    @Column(name = "tls_versions")
    private String tlsVersions;
    @Column(name = "tls_ca_file")
    private String tlsCaFile;
    @Column(name = "tls_client_cert_file")
    private String tlsClientCertFile;
    @Column(name = "tls_client_key_file")
    private String tlsClientKeyFile;
    @Column(name = "tls_key_password_enc")
    private String tlsKeyPasswordEnc;
    @Column(name = "tls_hostname_verification")
    private boolean tlsHostnameVerification;
    @Column(name = "anti_echo_millis")
    private long antiEchoMillis;
    @Column(name = "confirm_commands")
    private boolean confirmCommands;
    private boolean enabled;
    @Column(name = "internal_user")
    private String internalUser;
    @Column(name = "availability_enabled")
    private boolean availabilityEnabled;
    @Column(name = "availability_topic")
    private String availabilityTopic;
    @Column(name = "payload_online")
    private String payloadOnline;
    @Column(name = "payload_offline")
    private String payloadOffline;
    @Column(name = "discovery_enabled")
    private boolean discoveryEnabled;
    @Column(name = "discovery_prefix")
    private String discoveryPrefix;
    @Version
    private long version;

    protected Broker() {
    }

    public Broker(BrokerSettings s, SecretCipher cipher) {
        apply(s, cipher);
    }

    /** Takes the settings; a null password keeps the stored one. */
    public final void apply(BrokerSettings s, SecretCipher cipher) {
        name = s.name();
        path = s.path();
        host = s.host();
        port = s.port();
        clientId = s.clientId();
        username = s.username();
        if (s.password() != null || passwordEnc == null) {
            passwordEnc = cipher.encrypt(s.password());
        }
        reconnectInterval = s.reconnectIntervalSeconds();
        keepAlive = s.keepAliveSeconds();
        tlsEnabled = s.tls();
        tlsVersions = String.join(",", s.tlsVersions());
        tlsCaFile = s.caFile();
        tlsClientCertFile = s.clientCertFile();
        tlsClientKeyFile = s.clientKeyFile();
        if (s.keyPassword() != null || tlsKeyPasswordEnc == null) {
            tlsKeyPasswordEnc = cipher.encrypt(s.keyPassword());
        }
        tlsHostnameVerification = s.hostnameVerification();
        antiEchoMillis = s.antiEchoMillis();
        confirmCommands = s.confirmCommands();
        enabled = s.enabled();
        internalUser = s.internalUser().isEmpty() ? null : s.internalUser();
        EcosystemSettings e = s.ecosystem();
        availabilityEnabled = e.availability();
        availabilityTopic = e.availabilityTopic();
        payloadOnline = e.payloadOnline();
        payloadOffline = e.payloadOffline();
        discoveryEnabled = e.discovery();
        discoveryPrefix = e.discoveryPrefix();
    }

    /** Availability (birth and will) and Home Assistant discovery of this broker. */
    public EcosystemSettings ecosystem() {
        return new EcosystemSettings(availabilityEnabled, availabilityTopic, payloadOnline, payloadOffline,
                discoveryEnabled, discoveryPrefix);
    }

    /** The broker's place in the item tree; empty for none. */
    public String getPath() {
        return path == null ? "" : path;
    }

    /** The settings without secrets (what the API may show). */
    public BrokerSettings settingsWithoutSecrets() {
        return new BrokerSettings(name, path, host, port, clientId, username, null, reconnectInterval, keepAlive,
                tlsEnabled, tlsVersionList(), tlsCaFile, tlsClientCertFile, tlsClientKeyFile, null,
                tlsHostnameVerification, antiEchoMillis, enabled, getInternalUser(), confirmCommands,
                ecosystem());
    }

    /** The integrated broker's user this broker connects as (the internal connection); empty for other brokers. */
    public String getInternalUser() {
        return internalUser == null ? "" : internalUser;
    }

    public List<String> tlsVersionList() {
        return Arrays.stream(tlsVersions.split(",")).filter(v -> !v.isBlank()).toList();
    }

    void setEnabled(boolean on) {
        enabled = on;
    }

    public Long getId() { return id; }
    public String getName() { return name; }
    public String getHost() { return host; }
    public int getPort() { return port; }
    public String getClientId() { return clientId; }
    public String getUsername() { return username; }
    public String getPasswordEnc() { return passwordEnc; }
    public int getReconnectInterval() { return reconnectInterval; }
    public int getKeepAlive() { return keepAlive; }
    public boolean isTlsEnabled() { return tlsEnabled; }
    public String getTlsCaFile() { return tlsCaFile; }
    public String getTlsClientCertFile() { return tlsClientCertFile; }
    public String getTlsClientKeyFile() { return tlsClientKeyFile; }
    public String getTlsKeyPasswordEnc() { return tlsKeyPasswordEnc; }
    public boolean isTlsHostnameVerification() { return tlsHostnameVerification; }
    public long getAntiEchoMillis() { return antiEchoMillis; }
    public boolean isConfirmCommands() { return confirmCommands; }
    public boolean isEnabled() { return enabled; }
    public long getVersion() { return version; }
}
