package org.bmsmqtt.ra.session;

import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A TLS socket that, when connected, layers TLS over a plain socket of {@link ChunkedInput#socket()}: the TLS
 * records are read in chunks, and the plain socket switches quick ACKs on again after each read that empties it, as
 * a plain session's socket does (mosquitto's {@code set_tcp_nodelay} covers its TLS listeners too; the delayed-ACK
 * wait was measured on plain sockets only, see {@link ChunkedInput}). Paho creates the socket unconnected, connects it, then
 * sets the TLS parameters and starts the handshake; a TLS setting asked for before the connect is refused with
 * {@link IllegalStateException} rather than lost (the enabled protocols are answered: the configured ones). Socket
 * options go to the plain socket (a layered TLS socket hands them there too); everything TLS goes to the layered one.
 */
final class LayeredTlsSocket extends SSLSocket {

    private final SSLSocketFactory factory;
    private final String[] protocols;
    private final Socket plain;
    private volatile SSLSocket tls;

    LayeredTlsSocket(SSLSocketFactory factory, String[] protocols) throws SocketException {
        this.factory = factory;
        this.protocols = protocols.clone();
        this.plain = ChunkedInput.socket();
        plain.setTcpNoDelay(true);
    }

    private SSLSocket tls() {
        SSLSocket s = tls;
        if (s == null) {
            throw new IllegalStateException("TLS settings are made after the socket is connected");
        }
        return s;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("endpoint: an InetSocketAddress, was " + endpoint);
        }
        plain.connect(address, timeout);
        try {
            SSLSocket s = (SSLSocket) factory.createSocket(plain, address.getHostString(), address.getPort(), true);
            s.setEnabledProtocols(protocols.clone());
            tls = s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        plain.bind(local);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return connectedTls().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return connectedTls().getOutputStream();
    }

    private SSLSocket connectedTls() throws SocketException {
        SSLSocket s = tls;
        if (s == null) {
            throw new SocketException("Socket is not connected");
        }
        return s;
    }

    @Override
    public synchronized void close() throws IOException {
        SSLSocket s = tls;
        try {
            if (s != null) {
                s.close(); // sends close_notify; closes the plain socket too (autoClose)
            }
        } finally {
            plain.close(); // also when the close_notify could not be sent
        }
    }

    @Override
    public boolean isConnected() {
        return tls != null && plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        SSLSocket s = tls;
        return plain.isClosed() || s != null && s.isClosed();
    }

    @Override
    public void shutdownInput() throws IOException {
        connectedTls().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connectedTls().shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        SSLSocket s = tls;
        return s == null ? plain.isInputShutdown() : s.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        SSLSocket s = tls;
        return s == null ? plain.isOutputShutdown() : s.isOutputShutdown();
    }

    // ---- addresses and socket options: the plain socket's

    @Override
    public InetAddress getInetAddress() { return plain.getInetAddress(); }
    @Override
    public InetAddress getLocalAddress() { return plain.getLocalAddress(); }
    @Override
    public int getPort() { return plain.getPort(); }
    @Override
    public int getLocalPort() { return plain.getLocalPort(); }
    @Override
    public SocketAddress getRemoteSocketAddress() { return plain.getRemoteSocketAddress(); }
    @Override
    public SocketAddress getLocalSocketAddress() { return plain.getLocalSocketAddress(); }
    @Override
    public void setTcpNoDelay(boolean on) throws SocketException { plain.setTcpNoDelay(on); }
    @Override
    public boolean getTcpNoDelay() throws SocketException { return plain.getTcpNoDelay(); }
    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException { plain.setSoTimeout(timeout); }
    @Override
    public synchronized int getSoTimeout() throws SocketException { return plain.getSoTimeout(); }
    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException { plain.setSoLinger(on, linger); }
    @Override
    public int getSoLinger() throws SocketException { return plain.getSoLinger(); }
    @Override
    public void setKeepAlive(boolean on) throws SocketException { plain.setKeepAlive(on); }
    @Override
    public boolean getKeepAlive() throws SocketException { return plain.getKeepAlive(); }
    @Override
    public synchronized void setSendBufferSize(int size) throws SocketException { plain.setSendBufferSize(size); }
    @Override
    public synchronized int getSendBufferSize() throws SocketException { return plain.getSendBufferSize(); }
    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException { plain.setReceiveBufferSize(size); }
    @Override
    public synchronized int getReceiveBufferSize() throws SocketException { return plain.getReceiveBufferSize(); }
    @Override
    public void setTrafficClass(int tc) throws SocketException { plain.setTrafficClass(tc); }
    @Override
    public int getTrafficClass() throws SocketException { return plain.getTrafficClass(); }
    @Override
    public void setReuseAddress(boolean on) throws SocketException { plain.setReuseAddress(on); }
    @Override
    public boolean getReuseAddress() throws SocketException { return plain.getReuseAddress(); }
    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        plain.setOption(name, value);
        return this;
    }
    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return plain.getOption(name); }
    @Override
    public Set<SocketOption<?>> supportedOptions() { return plain.supportedOptions(); }

    // ---- TLS: the layered socket's

    @Override
    public String[] getSupportedCipherSuites() { return factory.getSupportedCipherSuites(); }
    @Override
    public String[] getEnabledCipherSuites() { return tls().getEnabledCipherSuites(); }
    @Override
    public void setEnabledCipherSuites(String[] suites) { tls().setEnabledCipherSuites(suites); }
    @Override
    public String[] getSupportedProtocols() { return tls().getSupportedProtocols(); }
    @Override
    public String[] getEnabledProtocols() {
        SSLSocket s = tls;
        return s == null ? protocols.clone() : s.getEnabledProtocols(); // before the connect: the ones it will enable
    }

    @Override
    public void setEnabledProtocols(String[] enabled) { tls().setEnabledProtocols(enabled); }
    @Override
    public SSLSession getSession() { return tls().getSession(); }
    @Override
    public SSLSession getHandshakeSession() { return tls().getHandshakeSession(); }
    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        tls().addHandshakeCompletedListener(listener);
    }
    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        tls().removeHandshakeCompletedListener(listener);
    }
    @Override
    public void startHandshake() throws IOException { connectedTls().startHandshake(); }
    @Override
    public void setUseClientMode(boolean mode) { tls().setUseClientMode(mode); }
    @Override
    public boolean getUseClientMode() { return tls().getUseClientMode(); }
    @Override
    public void setNeedClientAuth(boolean need) { tls().setNeedClientAuth(need); }
    @Override
    public boolean getNeedClientAuth() { return tls().getNeedClientAuth(); }
    @Override
    public void setWantClientAuth(boolean want) { tls().setWantClientAuth(want); }
    @Override
    public boolean getWantClientAuth() { return tls().getWantClientAuth(); }
    @Override
    public void setEnableSessionCreation(boolean flag) { tls().setEnableSessionCreation(flag); }
    @Override
    public boolean getEnableSessionCreation() { return tls().getEnableSessionCreation(); }
    @Override
    public SSLParameters getSSLParameters() { return tls().getSSLParameters(); }
    @Override
    public void setSSLParameters(SSLParameters params) { tls().setSSLParameters(params); }
    @Override
    public String getApplicationProtocol() { return tls().getApplicationProtocol(); }
    @Override
    public String getHandshakeApplicationProtocol() { return tls().getHandshakeApplicationProtocol(); }
    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
        tls().setHandshakeApplicationProtocolSelector(selector);
    }
    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return tls().getHandshakeApplicationProtocolSelector();
    }

    @Override
    public String toString() {
        SSLSocket s = tls;
        return "LayeredTlsSocket[" + (s != null ? s : plain) + "]";
    }
}
