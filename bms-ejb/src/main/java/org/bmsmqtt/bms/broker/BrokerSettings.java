package org.bmsmqtt.bms.broker;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/**
 * What an integrator sets for a broker. A {@code null} password (or key password) on update keeps the stored one.
 * Certificates are files in {@code <data folder>/certs}, referenced by name.
 * <p>
 * {@code confirmCommands} (default true): a command accepted from this broker is confirmed on the binding's report
 * topic on this broker too (the state-topic convention). Loops are stopped by our origin mark and by
 * {@code antiEchoMillis}: a command repeating a value we reported to this broker within that time, whose echo has not
 * come back yet, is taken as that echo and dropped (counted). With {@code confirmCommands} false (the seed products'
 * way), a value that came from this broker is not sent back to it within {@code antiEchoMillis}.
 */
public record BrokerSettings(String name, String path, String host, int port, String clientId, String username,
                             String password, int reconnectIntervalSeconds, int keepAliveSeconds, boolean tls,
                             List<String> tlsVersions, String caFile, String clientCertFile, String clientKeyFile,
                             String keyPassword, boolean hostnameVerification, long antiEchoMillis, boolean enabled,
                             String internalUser, boolean confirmCommands, EcosystemSettings ecosystem) {

    /**
     * An echo on a loop comes back within milliseconds (a bridge, a client echoing states); a person commanding the
     * same value again after another one, or a sensor repeating its reading every second, comes later. Half a second
     * tells them apart (10 s swallowed a user's on-off-on and every other reading of a 1 Hz meter).
     */
    public static final long DEFAULT_ANTI_ECHO_MILLIS = 500;

    /** A broker reached over the network (no internal connection). */
    public BrokerSettings(String name, String path, String host, int port, String clientId, String username,
                          String password, int reconnectIntervalSeconds, int keepAliveSeconds, boolean tls,
                          List<String> tlsVersions, String caFile, String clientCertFile, String clientKeyFile,
                          String keyPassword, boolean hostnameVerification, long antiEchoMillis, boolean enabled) {
        this(name, path, host, port, clientId, username, password, reconnectIntervalSeconds, keepAliveSeconds, tls,
                tlsVersions, caFile, clientCertFile, clientKeyFile, keyPassword, hostnameVerification, antiEchoMillis,
                enabled, "", true);
    }

    /** Availability on, discovery off (the defaults). */
    public BrokerSettings(String name, String path, String host, int port, String clientId, String username,
                          String password, int reconnectIntervalSeconds, int keepAliveSeconds, boolean tls,
                          List<String> tlsVersions, String caFile, String clientCertFile, String clientKeyFile,
                          String keyPassword, boolean hostnameVerification, long antiEchoMillis, boolean enabled,
                          String internalUser, boolean confirmCommands) {
        this(name, path, host, port, clientId, username, password, reconnectIntervalSeconds, keepAliveSeconds, tls,
                tlsVersions, caFile, clientCertFile, clientKeyFile, keyPassword, hostnameVerification, antiEchoMillis,
                enabled, internalUser, confirmCommands, EcosystemSettings.DEFAULT);
    }

    /** Commands confirmed (the default). */
    public BrokerSettings(String name, String path, String host, int port, String clientId, String username,
                          String password, int reconnectIntervalSeconds, int keepAliveSeconds, boolean tls,
                          List<String> tlsVersions, String caFile, String clientCertFile, String clientKeyFile,
                          String keyPassword, boolean hostnameVerification, long antiEchoMillis, boolean enabled,
                          String internalUser) {
        this(name, path, host, port, clientId, username, password, reconnectIntervalSeconds, keepAliveSeconds, tls,
                tlsVersions, caFile, clientCertFile, clientKeyFile, keyPassword, hostnameVerification, antiEchoMillis,
                enabled, internalUser, true);
    }

    /**
     * {@code internalUser} set: the internal connection to this server's integrated broker as that user. Host, port,
     * credentials and TLS then come from the integrated broker (whatever was given for them is not kept).
     */
    public BrokerSettings {
        name = text(name, "name", 200, true);
        path = text(path == null || path.isBlank() ? "" : path, "path", 400, false);
        internalUser = internalUser == null ? "" : internalUser.trim();
        if (internalUser.length() > 100) {
            throw new InvalidValueException("internalUser", "at most 100 characters");
        }
        if (!internalUser.isEmpty()) {
            host = "";
            port = 0;
            username = internalUser;
            password = "";
            tls = false;
            caFile = "";
            clientCertFile = "";
            clientKeyFile = "";
            keyPassword = "";
        } else {
            host = text(host, "host", 255, true);
            if (port < 1 || port > 65535) {
                throw new InvalidValueException("port", "must be 1..65535, was " + port);
            }
        }
        clientId = text(clientId, "clientId", 200, true);
        username = text(username == null ? "" : username, "username", 200, false);
        if (reconnectIntervalSeconds < 1 || reconnectIntervalSeconds > 86_400) {
            throw new InvalidValueException("reconnectIntervalSeconds", "must be 1..86400, was " + reconnectIntervalSeconds);
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
            throw new InvalidValueException("keepAliveSeconds", "must be 0..65535, was " + keepAliveSeconds);
        }
        tlsVersions = tlsVersions == null || tlsVersions.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(tlsVersions);
        for (String v : tlsVersions) {
            if (!v.equals("TLSv1.2") && !v.equals("TLSv1.3")) {
                throw new InvalidValueException("tlsVersions", "only TLSv1.2 and TLSv1.3, got " + v);
            }
        }
        caFile = fileName(caFile, "caFile");
        clientCertFile = fileName(clientCertFile, "clientCertFile");
        clientKeyFile = fileName(clientKeyFile, "clientKeyFile");
        if (antiEchoMillis < 0 || antiEchoMillis > 3_600_000) {
            throw new InvalidValueException("antiEchoMillis", "must be 0..3600000, was " + antiEchoMillis);
        }
        ecosystem = ecosystem == null ? EcosystemSettings.DEFAULT : ecosystem;
    }

    /** A copy with other availability and discovery settings. */
    public BrokerSettings withEcosystem(EcosystemSettings e) {
        return new BrokerSettings(name, path, host, port, clientId, username, password, reconnectIntervalSeconds,
                keepAliveSeconds, tls, tlsVersions, caFile, clientCertFile, clientKeyFile, keyPassword,
                hostnameVerification, antiEchoMillis, enabled, internalUser, confirmCommands, e);
    }

    private static String text(String value, String field, int max, boolean required) {
        if (value == null || (required && value.isBlank())) {
            throw new InvalidValueException(field, "is required");
        }
        if (value.length() > max) {
            throw new InvalidValueException(field, "at most " + max + " characters");
        }
        return value.trim();
    }

    private static String fileName(String value, String field) {
        if (value == null || value.isBlank()) {
            return "";
        }
        if (value.contains("/") || value.contains("\\") || value.startsWith(".") || value.length() > 255) {
            throw new InvalidValueException(field, "a file name in the certificate folder, without a path: " + value);
        }
        return value.trim();
    }

    /**
     * The broker "default" from {@code bms.mqtt.server-uri} ({@code tcp://host:port} or {@code ssl://host:port}, the
     * port defaulting to 1883 / 8883); {@link InvalidValueException} naming the key when it is not such a URI.
     */
    public static BrokerSettings fromServerUri(String uri, String clientId, String username, String password,
                                               int reconnectSeconds) {
        java.net.URI u;
        try {
            u = new java.net.URI(uri.trim());
        } catch (java.net.URISyntaxException e) {
            throw new InvalidValueException("bms.mqtt.server-uri", "'" + uri + "' is not a URI: " + e.getReason());
        }
        boolean tls = "ssl".equals(u.getScheme());
        if (!tls && !"tcp".equals(u.getScheme()) || u.getHost() == null) {
            throw new InvalidValueException("bms.mqtt.server-uri", "'" + uri
                    + "' is not tcp://host:port, ssl://host:port or integrated");
        }
        int port = u.getPort() < 0 ? (tls ? 8883 : 1883) : u.getPort();
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("bms.mqtt.server-uri", "port " + port + " of '" + uri + "' is not 1-65535");
        }
        return new BrokerSettings("default", "brokers/default", u.getHost(), port, clientId, username, password,
                reconnectSeconds, 30, tls, List.of(), "", "", "", "", true, DEFAULT_ANTI_ECHO_MILLIS, true);
    }
}
