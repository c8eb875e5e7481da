package org.bmsmqtt.ra.session;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Plain sockets with TCP_NODELAY and chunked input ({@link ChunkedInput}). Paho's default socket keeps Nagle's
 * algorithm on, which adds about a millisecond at the median and tens of milliseconds at the tail to a
 * receive-then-publish relay. Paho's network module calls {@code createSocket()} and then {@code connect}; the other
 * methods connect the same kind of socket.
 */
final class NoDelaySocketFactory extends SocketFactory {

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = ChunkedInput.socket();
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connect(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connect(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connect(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connect(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connect(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        return connect(createSocket(), local, remote);
    }

    /** Binds {@code socket} to {@code local} (null: any) and connects it; closes it when either fails. */
    static Socket connect(Socket socket, InetSocketAddress local, InetSocketAddress remote) throws IOException {
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
