package org.bmsmqtt.bms.knx;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A stored KNX connection (see {@link KnxConnectionSettings}); opened live by the {@link KnxGateway}. */
@Entity
@Table(name = "knx_connection")
public class KnxConnection {

    @Id
    @SequenceGenerator(name = "knx_connection_seq", sequenceName = "knx_connection_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "knx_connection_seq")
    private Long id;
    @Column(nullable = false, unique = true)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(name = "connection_type")
    private KnxConnectionType type;
    private String host;
    private int port;
    @Column(name = "local_address")
    private String localAddress;
    private boolean nat;
    @Column(name = "reconnect_interval")
    private int reconnectIntervalSeconds;
    @Column(name = "anti_echo_millis")
    private long antiEchoMillis;
    private boolean enabled;
    @Version
    private long version;

    protected KnxConnection() {
    }

    public KnxConnection(KnxConnectionSettings s) {
        apply(s);
    }

    public final void apply(KnxConnectionSettings s) {
        name = s.name();
        type = s.type();
        host = s.host();
        port = s.port();
        localAddress = s.localAddress();
        nat = s.nat();
        reconnectIntervalSeconds = s.reconnectIntervalSeconds();
        antiEchoMillis = s.antiEchoMillis();
        enabled = s.enabled();
    }

    public KnxConnectionSettings settings() {
        return new KnxConnectionSettings(name, type, host, port, localAddress, nat, reconnectIntervalSeconds,
                antiEchoMillis, enabled);
    }

    /** Stop (false) and start (true): the only field that changes without the rest of the settings. */
    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Long getId() { return id; }
    public String getName() { return name; }
    public long getVersion() { return version; }
}
