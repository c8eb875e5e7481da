package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.npdu.Network;
import com.serotonin.bacnet4j.npdu.ip.IpNetworkUtils;
import com.serotonin.bacnet4j.type.primitive.OctetString;
import com.serotonin.bacnet4j.util.sero.ByteQueue;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives BACnet/IP broadcasts for a network whose socket is bound to one address.
 * <p>
 * Why: Linux delivers a datagram sent to a broadcast address (127.255.255.255, 192.168.1.255) only to sockets bound
 * to the wildcard or to that broadcast address, never to a socket bound to a unicast address. BACnet4J's
 * {@code IpNetwork} has one socket; bound to 127.0.0.1 (as our tests and a multi-homed server must) it would never hear
 * a Who-Is or an I-Am (BACnet4J answers a Who-Is with a broadcast I-Am). This class binds a second socket to
 * {@code broadcast:port} with SO_REUSEADDR (several local devices may share it) and hands each datagram to the
 * network exactly as its own receive loop does. Datagrams this network sent itself are dropped.
 */
final class BroadcastReceiver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BroadcastReceiver.class.getName());
    /** {@code Network.handleIncomingData} is protected and IpNetwork cannot be subclassed (package-private constructor). */
    private static final MethodHandle HANDLE_INCOMING = handleIncoming();

    private final DatagramSocket socket;
    private final InetSocketAddress own;
    private final Network network;
    private final Thread thread;

    private BroadcastReceiver(DatagramSocket socket, InetSocketAddress own, Network network) {
        this.socket = socket;
        this.own = own;
        this.network = network;
        this.thread = new Thread(this::run, "bacnet-broadcast-" + socket.getLocalSocketAddress());
        this.thread.setDaemon(true);
    }

    /**
     * Opens the receiver. {@code own} is the network's unicast address and port (its own broadcasts come back from it).
     */
    static BroadcastReceiver open(Network network, String broadcastAddress, InetSocketAddress own) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(broadcastAddress), own.getPort()));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        BroadcastReceiver receiver = new BroadcastReceiver(socket, own, network);
        receiver.thread.start();
        return receiver;
    }

    private void run() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setData(buffer);
                socket.receive(packet);
                if (own.getAddress().equals(packet.getAddress()) && own.getPort() == packet.getPort()) {
                    continue; // our own broadcast
                }
                ByteQueue data = new ByteQueue(packet.getData(), 0, packet.getLength());
                OctetString from = IpNetworkUtils.toOctetString(packet.getAddress().getAddress(), packet.getPort());
                HANDLE_INCOMING.invoke(network, data, from);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.FINE, "broadcast receive failed", e);
                }
            } catch (Throwable e) { // a bad datagram must never end the loop
                LOG.log(Level.FINE, "broadcast datagram dropped", e);
            }
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MethodHandle handleIncoming() {
        try {
            return MethodHandles.privateLookupIn(Network.class, MethodHandles.lookup()).findVirtual(Network.class,
                    "handleIncomingData", MethodType.methodType(void.class, ByteQueue.class, OctetString.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("BACnet4J changed: Network.handleIncomingData not found", e);
        }
    }
}
