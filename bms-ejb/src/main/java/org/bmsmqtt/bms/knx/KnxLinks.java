package org.bmsmqtt.bms.knx;

import tuwien.auto.calimero.KNXException;
import tuwien.auto.calimero.knxnetip.TcpConnection;
import tuwien.auto.calimero.link.KNXNetworkLink;
import tuwien.auto.calimero.link.KNXNetworkLinkIP;
import tuwien.auto.calimero.link.medium.TPSettings;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.function.Consumer;

/** How a KNX connection's settings become an open Calimero link: tunnelling over UDP or TCP, or routing. Blocks. */
final class KnxLinks {

    private KnxLinks() {
    }

    /**
     * Opens the link the settings describe; {@code tcp} is handed the TCP connection of TCP tunnelling before the
     * tunnel is opened on it (the caller closes it when the tunnel fails).
     */
    static KNXNetworkLink open(KnxConnectionSettings settings, Consumer<TcpConnection> tcp)
            throws KNXException, InterruptedException {
        InetAddress local = settings.localAddress().isEmpty() ? null : literal(settings.localAddress());
        InetSocketAddress localEp = new InetSocketAddress(local == null ? wildcard() : local, 0);
        InetSocketAddress remote = new InetSocketAddress(settings.host(), settings.port());
        if (remote.isUnresolved()) {
            throw new KNXException("host " + settings.host() + " is unknown");
        }
        return switch (settings.type()) {
            case TUNNELING_UDP -> KNXNetworkLinkIP.newTunnelingLink(localEp, remote, settings.nat(), new TPSettings());
            case TUNNELING_TCP -> {
                TcpConnection c = TcpConnection.newTcpConnection(localEp, remote);
                tcp.accept(c);
                yield KNXNetworkLinkIP.newTunnelingLink(c, new TPSettings());
            }
            case ROUTING -> KNXNetworkLinkIP.newRoutingLink(local == null ? null : networkInterface(local),
                    remote.getAddress(), new TPSettings());
        };
    }

    private static InetAddress literal(String ip) throws KNXException {
        try {
            return InetAddress.getByName(ip); // validated as an IP literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new KNXException("local address " + ip + ": " + e.getMessage());
        }
    }

    private static InetAddress wildcard() {
        return new InetSocketAddress(0).getAddress();
    }

    private static NetworkInterface networkInterface(InetAddress local) throws KNXException {
        try {
            NetworkInterface n = NetworkInterface.getByInetAddress(local);
            if (n == null) {
                throw new KNXException("no network interface has the address " + local.getHostAddress());
            }
            return n;
        } catch (java.net.SocketException e) {
            throw new KNXException("network interface of " + local.getHostAddress() + ": " + e.getMessage());
        }
    }
}
