package org.bmsmqtt.ra.api;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * Everything needed to open one broker session. Two specs that are equal share one session;
 * two different specs must not use the same server URI and client id at the same time.
 *
 * @param name                      the application's name for this broker; it comes back on every {@link MqttMessage}
 * @param serverUri                 {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId                  stable, unique per broker
 * @param username                  empty for none
 * @param password                  empty for none; never printed by {@link #toString()}
 * @param keepAliveSeconds          MQTT keep-alive
 * @param connectTimeoutSeconds     how long one connect attempt may take
 * @param reconnectIntervalSeconds  pause between connect attempts while the broker is away
 * @param sessionExpirySeconds      how long the broker keeps our session (and queued QoS 1/2 messages) while we are away
 */
public record BrokerSpec(String name, String serverUri, String clientId, String username, String password,
                         int keepAliveSeconds, int connectTimeoutSeconds, int reconnectIntervalSeconds,
                         long sessionExpirySeconds) implements Serializable {

    public static final int DEFAULT_KEEP_ALIVE = 30;
    public static final int DEFAULT_CONNECT_TIMEOUT = 10;
    public static final int DEFAULT_RECONNECT_INTERVAL = 5;
    public static final long DEFAULT_SESSION_EXPIRY = 3600;

    public BrokerSpec {
        requireText(name, "name");
        requireText(serverUri, "serverUri");
        requireText(clientId, "clientId");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        URI uri;
        try {
            uri = URI.create(serverUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("serverUri: not a URI: " + serverUri, e);
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
            throw new IllegalArgumentException("serverUri: scheme must be tcp or ssl: " + serverUri);
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("serverUri: host and port are required: " + serverUri);
        }
        requireRange(keepAliveSeconds, 0, 65535, "keepAliveSeconds");
        requireRange(connectTimeoutSeconds, 1, 3600, "connectTimeoutSeconds");
        requireRange(reconnectIntervalSeconds, 1, 86400, "reconnectIntervalSeconds");
        if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("sessionExpirySeconds: must be 0..4294967295, was " + sessionExpirySeconds);
        }
    }

    /** A spec with default timings and no credentials. */
    public static BrokerSpec of(String name, String serverUri, String clientId) {
        return new BrokerSpec(name, serverUri, clientId, "", "", DEFAULT_KEEP_ALIVE, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_INTERVAL, DEFAULT_SESSION_EXPIRY);
    }

    public BrokerSpec withCredentials(String newUsername, String newPassword) {
        return new BrokerSpec(name, serverUri, clientId, newUsername, newPassword, keepAliveSeconds,
                connectTimeoutSeconds, reconnectIntervalSeconds, sessionExpirySeconds);
    }

    public BrokerSpec withReconnectInterval(int seconds) {
        return new BrokerSpec(name, serverUri, clientId, username, password, keepAliveSeconds,
                connectTimeoutSeconds, seconds, sessionExpirySeconds);
    }

    /** Identifies the session at the broker: two open sessions never share it. */
    public String endpointKey() {
        return clientId + "@" + serverUri;
    }

    @Override
    public String toString() {
        return "BrokerSpec[name=" + name + ", serverUri=" + serverUri + ", clientId=" + clientId
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", keepAlive=" + keepAliveSeconds + "s, reconnectInterval=" + reconnectIntervalSeconds
                + "s, sessionExpiry=" + sessionExpirySeconds + "s]";
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be empty");
        }
    }

    private static void requireRange(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": must be " + min + ".." + max + ", was " + value);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerSpec b && name.equals(b.name) && serverUri.equals(b.serverUri)
                && clientId.equals(b.clientId) && username.equals(b.username) && password.equals(b.password)
                && keepAliveSeconds == b.keepAliveSeconds && connectTimeoutSeconds == b.connectTimeoutSeconds
                && reconnectIntervalSeconds == b.reconnectIntervalSeconds
                && sessionExpirySeconds == b.sessionExpirySeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, serverUri, clientId, username, keepAliveSeconds, reconnectIntervalSeconds);
    }
}
