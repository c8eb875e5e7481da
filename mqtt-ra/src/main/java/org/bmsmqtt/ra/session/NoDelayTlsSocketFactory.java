package org.bmsmqtt.ra.session;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * TLS sockets with TCP_NODELAY (see {@link NoDelaySocketFactory}) and only the configured protocol versions. Paho's
 * network module calls {@code createSocket()} and then {@code connect}: that socket layers TLS over a plain chunked
 * socket with quick ACKs ({@link LayeredTlsSocket}), as plain sessions have them. The other methods connect the same
 * kind of socket; one layered over a socket of the caller's keeps that socket as it is, with TCP_NODELAY.
 */
final class NoDelayTlsSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final String[] protocols;

    NoDelayTlsSocketFactory(SSLSocketFactory delegate, String[] protocols) {
        this.delegate = delegate;
        this.protocols = protocols.clone();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return new LayeredTlsSocket(delegate, protocols);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        socket.setTcpNoDelay(true);
        return tune(delegate.createSocket(socket, host, port, autoClose));
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

    private Socket connect(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        return NoDelaySocketFactory.connect(createSocket(), local, remote);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connect(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket tune(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        ((SSLSocket) socket).setEnabledProtocols(protocols.clone());
        return socket;
    }
}
