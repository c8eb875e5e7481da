package org.bmsmqtt.ra.api;

import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to open one broker session. Two equal specs share one session; two different specs must not
 * use the same server URI and client id at the same time. Build with {@link #of} and the {@code with...} methods.
 *
 * @param name                     the application's name for this broker; it comes back on every {@link MqttMessage}
 * @param serverUris               {@code tcp://host:port} or {@code ssl://host:port}; more than one for fail-over
 * @param clientId                 stable, unique per broker
 * @param username                 empty for none
 * @param password                 empty for none; never printed by {@link #toString()}
 * @param keepAliveSeconds         MQTT keep-alive
 * @param connectTimeoutSeconds    how long one connect attempt may take
 * @param reconnectIntervalSeconds pause between connect attempts while the broker is away
 * @param sessionExpirySeconds     how long the broker keeps our session (and queued QoS 1/2 messages) while we are away
 * @param receiveMaximum           QoS 1/2 messages the broker may have in flight to us: bounds our in-memory queues
 * @param tls                      TLS settings, used with {@code ssl://} URIs
 * @param availability             birth and last will; {@link Availability#OFF} for none
 */
public record BrokerSpec(String name, List<String> serverUris, String clientId, String username, String password,
                         int keepAliveSeconds, int connectTimeoutSeconds, int reconnectIntervalSeconds,
                         long sessionExpirySeconds, int receiveMaximum, TlsSpec tls,
                         Availability availability) implements Serializable {

    public static final int DEFAULT_KEEP_ALIVE = 30;
    public static final int DEFAULT_CONNECT_TIMEOUT = 10;
    public static final int DEFAULT_RECONNECT_INTERVAL = 5;
    public static final long DEFAULT_SESSION_EXPIRY = 3600;
    public static final int DEFAULT_RECEIVE_MAXIMUM = 1000;

    public BrokerSpec {
        requireText(name, "name");
        requireText(clientId, "clientId");
        if (serverUris == null || serverUris.isEmpty()) {
            throw new IllegalArgumentException("serverUri: at least one is required");
        }
        serverUris = List.copyOf(serverUris);
        String scheme = null;
        for (String serverUri : serverUris) {
            String s = checkUri(serverUri);
            if (scheme != null && !scheme.equals(s)) {
                throw new IllegalArgumentException("serverUri: do not mix tcp:// and ssl:// in one broker");
            }
            scheme = s;
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        tls = tls == null ? TlsSpec.DEFAULT : tls;
        availability = availability == null ? Availability.OFF : availability;
        requireRange(keepAliveSeconds, 0, 65535, "keepAliveSeconds");
        requireRange(connectTimeoutSeconds, 1, 3600, "connectTimeoutSeconds");
        requireRange(reconnectIntervalSeconds, 1, 86400, "reconnectIntervalSeconds");
        requireRange(receiveMaximum, 1, 65535, "receiveMaximum");
        if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("sessionExpirySeconds: must be 0..4294967295, was " + sessionExpirySeconds);
        }
    }

    /** A spec with default timings, no credentials and default TLS (for {@code ssl://} URIs). */
    public static BrokerSpec of(String name, String serverUri, String clientId) {
        return new BrokerSpec(name, List.of(serverUri), clientId, "", "", DEFAULT_KEEP_ALIVE, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_INTERVAL, DEFAULT_SESSION_EXPIRY, DEFAULT_RECEIVE_MAXIMUM, TlsSpec.DEFAULT, Availability.OFF);
    }

    /** The first server URI. */
    public String serverUri() {
        return serverUris.get(0);
    }

    public boolean usesTls() {
        return serverUri().startsWith("ssl://");
    }

    public BrokerSpec withServerUris(List<String> uris) {
        return new BrokerSpec(name, uris, clientId, username, password, keepAliveSeconds, connectTimeoutSeconds,
                reconnectIntervalSeconds, sessionExpirySeconds, receiveMaximum, tls, availability);
    }

    public BrokerSpec withCredentials(String newUsername, String newPassword) {
        return new BrokerSpec(name, serverUris, clientId, newUsername, newPassword, keepAliveSeconds,
                connectTimeoutSeconds, reconnectIntervalSeconds, sessionExpirySeconds, receiveMaximum, tls, availability);
    }

    public BrokerSpec withReconnectInterval(int seconds) {
        return new BrokerSpec(name, serverUris, clientId, username, password, keepAliveSeconds, connectTimeoutSeconds,
                seconds, sessionExpirySeconds, receiveMaximum, tls, availability);
    }

    public BrokerSpec withTimings(int keepAlive, int connectTimeout, long sessionExpiry) {
        return new BrokerSpec(name, serverUris, clientId, username, password, keepAlive, connectTimeout,
                reconnectIntervalSeconds, sessionExpiry, receiveMaximum, tls, availability);
    }

    public BrokerSpec withReceiveMaximum(int max) {
        return new BrokerSpec(name, serverUris, clientId, username, password, keepAliveSeconds, connectTimeoutSeconds,
                reconnectIntervalSeconds, sessionExpirySeconds, max, tls, availability);
    }

    public BrokerSpec withTls(TlsSpec newTls) {
        return new BrokerSpec(name, serverUris, clientId, username, password, keepAliveSeconds, connectTimeoutSeconds,
                reconnectIntervalSeconds, sessionExpirySeconds, receiveMaximum, newTls, availability);
    }

    public BrokerSpec withAvailability(Availability newAvailability) {
        return new BrokerSpec(name, serverUris, clientId, username, password, keepAliveSeconds, connectTimeoutSeconds,
                reconnectIntervalSeconds, sessionExpirySeconds, receiveMaximum, tls, newAvailability);
    }

    /** Identifies the session at the broker: two open sessions never share it. */
    public String endpointKey() {
        return clientId + "@" + serverUri();
    }

    @Override
    public String toString() {
        return "BrokerSpec[name=" + name + ", serverUris=" + serverUris + ", clientId=" + clientId
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", keepAlive=" + keepAliveSeconds + "s, reconnectInterval=" + reconnectIntervalSeconds
                + "s, sessionExpiry=" + sessionExpirySeconds + "s, receiveMaximum=" + receiveMaximum
                + (usesTls() ? ", tls=" + tls : "")
                + (availability.enabled() ? ", availability=" + availability.topic() : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerSpec b && name.equals(b.name) && serverUris.equals(b.serverUris)
                && clientId.equals(b.clientId) && username.equals(b.username) && password.equals(b.password)
                && keepAliveSeconds == b.keepAliveSeconds && connectTimeoutSeconds == b.connectTimeoutSeconds
                && reconnectIntervalSeconds == b.reconnectIntervalSeconds
                && sessionExpirySeconds == b.sessionExpirySeconds && receiveMaximum == b.receiveMaximum
                && tls.equals(b.tls) && availability.equals(b.availability);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, serverUris, clientId, username, keepAliveSeconds, reconnectIntervalSeconds);
    }

    private static String checkUri(String serverUri) {
        requireText(serverUri, "serverUri");
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
        return uri.getScheme();
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
}
