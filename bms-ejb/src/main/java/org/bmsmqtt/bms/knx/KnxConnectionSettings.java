package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A KNX connection as an integrator sets it. {@code localAddress} empty: the system chooses the local interface.
 * {@code nat}: tunnelling asks the server to answer the address the request came from (works behind NAT and on
 * loopback). {@code antiEchoMillis}: how long the bus echo of our own group write is recognised and dropped.
 */
public record KnxConnectionSettings(String name, KnxConnectionType type, String host, int port, String localAddress,
                                    boolean nat, int reconnectIntervalSeconds, long antiEchoMillis, boolean enabled) {

    public static final int DEFAULT_PORT = 3671;
    public static final String DEFAULT_ROUTING_GROUP = "224.0.23.12";
    public static final int DEFAULT_RECONNECT_SECONDS = 10;
    public static final long DEFAULT_ANTI_ECHO_MILLIS = 2_000;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-_%\\[\\]]{1,255}");

    public KnxConnectionSettings {
        if (name == null || name.isBlank()) {
            throw new InvalidValueException("name", "is required");
        }
        name = name.trim();
        if (name.length() > 200) {
            throw new InvalidValueException("name", "at most 200 characters");
        }
        type = type == null ? KnxConnectionType.TUNNELING_UDP : type;
        host = host == null ? "" : host.trim();
        if (host.isEmpty() && type == KnxConnectionType.ROUTING) {
            host = DEFAULT_ROUTING_GROUP;
        }
        if (host.isEmpty()) {
            throw new InvalidValueException("host", "the host or IP address of the KNXnet/IP interface is required");
        }
        if (!HOST.matcher(host).matches()) {
            throw new InvalidValueException("host", "not a host name or IP address: '" + clip(host) + "'");
        }
        if (type == KnxConnectionType.ROUTING && !isMulticast(host)) {
            throw new InvalidValueException("host", "routing needs a multicast group (224.0.23.12 by default): " + host);
        }
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("port", "must be 1..65535 (KNXnet/IP: 3671), was " + port);
        }
        localAddress = localAddress == null ? "" : localAddress.trim();
        if (!localAddress.isEmpty() && !isIpLiteral(localAddress)) {
            throw new InvalidValueException("localAddress", "an IP address of this machine, or empty: '"
                    + clip(localAddress) + "'");
        }
        if (reconnectIntervalSeconds < 1 || reconnectIntervalSeconds > 86_400) {
            throw new InvalidValueException("reconnectIntervalSeconds", "must be 1..86400, was " + reconnectIntervalSeconds);
        }
        if (antiEchoMillis < 0 || antiEchoMillis > 60_000) {
            throw new InvalidValueException("antiEchoMillis", "must be 0..60000, was " + antiEchoMillis);
        }
    }

    private static boolean isMulticast(String host) {
        return isIpLiteral(host) && literal(host).isMulticastAddress();
    }

    /** An IP literal only: resolving names here would make validation depend on DNS. */
    static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? literal(s) != null : s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
    }

    private static InetAddress literal(String s) {
        try {
            for (String part : s.split("\\.")) {
                if (s.indexOf(':') < 0 && Integer.parseInt(part) > 255) {
                    return null;
                }
            }
            return InetAddress.getByName(s); // a literal: no lookup
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    private static String clip(String t) {
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
