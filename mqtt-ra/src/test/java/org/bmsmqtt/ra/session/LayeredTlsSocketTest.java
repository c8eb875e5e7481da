package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.testing.TestCertificates;
import org.bmsmqtt.ra.testing.TestCertificates.Issued;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS sockets of {@link NoDelayTlsSocketFactory} as Paho uses them (create, connect, TLS parameters, handshake),
 * against a TLS server socket in the test: the records are read through a chunked plain socket that switches quick
 * ACKs on again, as plain sessions' sockets do. Against a real mosquitto: {@code tls.TlsBrokerTest}.
 */
class LayeredTlsSocketTest {

    private static final Issued CA = TestCertificates.ca("layered test CA");
    private static final Issued SERVER = TestCertificates.server(CA, "localhost", "127.0.0.1");

    private static SSLServerSocket server() throws Exception {
        return server(SERVER);
    }

    private static SSLServerSocket server(Issued certificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry("server", certificate.key(), password,
                new Certificate[] {certificate.certificate(), CA.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static NoDelayTlsSocketFactory factory(String... protocols) {
        return new NoDelayTlsSocketFactory(TestCertificates.trusting(CA.certificate()), protocols);
    }

    /** What Paho's TLS network module does: create, connect, set SNI and host name checking, hand-shake. */
    private static SSLSocket connectLikePaho(NoDelayTlsSocketFactory factory, String host, int port) throws IOException {
        Socket socket = factory.createSocket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        SSLSocket tls = (SSLSocket) socket;
        SSLParameters sni = new SSLParameters();
        sni.setServerNames(List.of(new SNIHostName(host)));
        tls.setSSLParameters(sni);
        SSLParameters https = new SSLParameters();
        https.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(https);
        tls.startHandshake();
        return tls;
    }

    @Test
    void paho_s_steps_give_a_verified_connection_with_only_the_configured_version_and_tcp_nodelay() throws Exception {
        try (SSLServerSocket server = server()) {
            CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    return ((SSLSocket) s).getSession().getProtocol();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket s = connectLikePaho(factory("TLSv1.2"), "localhost", server.getLocalPort())) {
                assertInstanceOf(LayeredTlsSocket.class, s);
                assertTrue(s.isConnected());
                assertTrue(s.getTcpNoDelay());
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                assertEquals(server.getLocalPort(), s.getPort());
                s.getOutputStream().write(41);
                s.getOutputStream().flush();
                assertEquals(42, s.getInputStream().read());
                assertEquals("TLSv1.2", echoed.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void a_name_the_server_certificate_does_not_carry_fails_the_handshake() throws Exception {
        try (SSLServerSocket server = server(TestCertificates.server(CA, "localhost"))) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read();
                } catch (IOException e) {
                    // the client gives up during the handshake
                }
            });
            // the server is reached at 127.0.0.1, and its certificate names localhost only
            assertThrows(SSLHandshakeException.class,
                    () -> connectLikePaho(factory("TLSv1.3"), "127.0.0.1", server.getLocalPort()).close());
        }
    }

    @Test
    void a_tls_setting_before_the_connect_is_refused_not_lost() throws Exception {
        try (Socket s = factory("TLSv1.3").createSocket()) {
            assertFalse(s.isConnected());
            assertThrows(IllegalStateException.class, () -> ((SSLSocket) s).setEnabledCipherSuites(new String[0]));
            assertThrows(IOException.class, s::getInputStream);
        }
    }

    /** As {@code ChunkedInputTest}'s plain case: a command in, a report out, and quick ACKs on again after each read. */
    @Test
    void after_a_read_the_tls_sockets_acknowledge_at_once_even_when_they_also_send() throws Exception {
        ChunkedInputTest.assumeQuickAcks();
        try (SSLServerSocket server = server()) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = server.accept();
                    ((SSLSocket) s).startHandshake();
                    return s;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket s = connectLikePaho(factory("TLSv1.3"), "localhost", server.getLocalPort());
                 Socket broker = accepted.get(10, TimeUnit.SECONDS)) {
                ChunkedInputTest.commandsInReportsOut(s, broker);
            }
        }
    }
}
