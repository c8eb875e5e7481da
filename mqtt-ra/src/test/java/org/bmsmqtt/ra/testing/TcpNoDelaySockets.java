package org.bmsmqtt.ra.testing;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** Plain sockets with TCP_NODELAY for test and benchmark clients (Nagle adds milliseconds per hop: STACK.md). */
public final class TcpNoDelaySockets extends SocketFactory {

    private static Socket tune(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return tune(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return tune(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return tune(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return tune(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return tune(new Socket(address, port, localAddress, localPort));
    }
}
