package org.bmsmqtt.bms.integrated;

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

/** A user of the integrated broker: a PBKDF2 hash, never the password; topic permissions one filter per line. */
@Entity
@Table(name = "broker_user")
public class BrokerUser {

    @Id
    @SequenceGenerator(name = "broker_user_seq", sequenceName = "broker_user_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "broker_user_seq")
    private Long id;
    private String name;
    @Column(nullable = false, unique = true)
    private String username;
    @Column(name = "password_hash", nullable = false)
    private String passwordHash;
    private boolean enabled;
    private String publish;
    private String subscribe;
    @Version
    private long version;

    protected BrokerUser() {
    }

    public BrokerUser(BrokerUserSettings s, String passwordHash) {
        this.passwordHash = passwordHash;
        apply(s);
    }

    /** Everything but the password (see {@link #setPasswordHash}). */
    public final void apply(BrokerUserSettings s) {
        name = s.name();
        username = s.username();
        enabled = s.enabled();
        publish = String.join("\n", s.permissions().publish());
        subscribe = String.join("\n", s.permissions().subscribe());
    }

    public BrokerAccount account() {
        return new BrokerAccount(username, passwordHash, enabled, permissions());
    }

    public TopicPermissions permissions() {
        return new TopicPermissions(lines(publish), lines(subscribe));
    }

    private static List<String> lines(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public long getVersion() {
        return version;
    }
}
