package org.bmsmqtt.ra.session;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Plain sockets with TCP_NODELAY. Paho's default socket keeps Nagle's algorithm on, which adds about a millisecond
 * at the median and tens of milliseconds at the tail to a receive-then-publish relay.
 */
final class NoDelaySocketFactory extends SocketFactory {

    private final SocketFactory delegate = SocketFactory.getDefault();

    @Override
    public Socket createSocket() throws IOException {
        return tune(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return tune(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return tune(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return tune(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return tune(delegate.createSocket(address, port, localAddress, localPort));
    }

    private static Socket tune(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
