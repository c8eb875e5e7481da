package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.TlsSpec;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.TestCertificates;
import org.bmsmqtt.ra.testing.TestCertificates.Issued;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pure tests of {@link TlsContexts}: file formats, the errors for bad files (they must name the setting and the file
 * and never the password), socket settings, and handshakes against an in-JVM TLS server that requires a client
 * certificate (so a wrong or missing key manager shows).
 */
class TlsContextsTest {

    private static final String SECRET = "s3cret-Pa55";

    private static Issued ca;
    private static Issued otherCa;
    private static Issued server;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.ca("unit CA");
        otherCa = TestCertificates.ca("other unit CA");
        server = TestCertificates.server(ca, "127.0.0.1", "localhost");
    }

    @Test
    void socketsHaveNoDelayAndOnlyTheConfiguredVersions() throws Exception {
        SSLSocketFactory factory = TlsContexts.socketFactory(TlsSpec.DEFAULT.withVersions(List.of("TLSv1.2")));
        try (SSLSocket unconnected = (SSLSocket) factory.createSocket()) { // what Paho's TCPNetworkModule calls
            assertTrue(unconnected.getTcpNoDelay());
            assertArrayEquals(new String[] {"TLSv1.2"}, unconnected.getEnabledProtocols());
        }
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SSLSocket connected = (SSLSocket) factory.createSocket("127.0.0.1", listener.getLocalPort());
             Socket plain = new Socket()) {
            assertTrue(connected.getTcpNoDelay());
            assertArrayEquals(new String[] {"TLSv1.2"}, connected.getEnabledProtocols());
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
            try (SSLSocket layered = (SSLSocket) factory.createSocket(plain, "127.0.0.1", listener.getLocalPort(), false)) {
                assertTrue(plain.getTcpNoDelay());
                assertArrayEquals(new String[] {"TLSv1.2"}, layered.getEnabledProtocols());
            }
        }
        SSLSocketFactory both = TlsContexts.socketFactory(TlsSpec.DEFAULT);
        try (SSLSocket s = (SSLSocket) both.createSocket()) {
            assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, s.getEnabledProtocols());
        }
    }

    @Test
    void trustsPemBundleDerAndPkcs12() throws Exception {
        Path bundle = TestCertificates.writePem(dir.resolve("bundle.pem"), otherCa.certificate(), ca.certificate());
        Path der = TestCertificates.writeDer(dir.resolve("ca.crt"), ca.certificate());
        Path derNoExtension = TestCertificates.writeDer(dir.resolve("ca-der"), ca.certificate());
        Path p12 = TestCertificates.writeTrustPkcs12(dir.resolve("trust.p12"), ca.certificate(), SECRET);
        Path p12NoExtension = TestCertificates.writeTrustPkcs12(dir.resolve("trust.bin"), ca.certificate(), SECRET);
        for (Path file : List.of(bundle, der, derNoExtension, p12, p12NoExtension)) {
            TlsSpec tls = new TlsSpec(null, file.toString(), SECRET, "", "", "", true);
            assertEquals(server.certificate(), handshake(tls, false), file.toString());
        }
        Path onlyOther = TestCertificates.writePem(dir.resolve("other.pem"), otherCa.certificate());
        IOException refused = assertThrows(IOException.class, () -> handshake(TlsSpec.trusting(onlyOther.toString()), false));
        assertTrue(String.valueOf(rootMessage(refused)).contains("certification path"), String.valueOf(rootMessage(refused)));
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA,pkcs8", "RSA,encrypted", "RSA,pkcs12", "RSA,combined", "EC,pkcs8", "EC,encrypted", "EC,pkcs12"})
    void presentsTheClientCertificate(String keyAlgorithm, String format) throws Exception {
        Issued client = TestCertificates.client(ca, "client-" + keyAlgorithm, keyAlgorithm);
        Path caPem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        Path certPem = TestCertificates.writePem(dir.resolve("client.pem"), client.certificate(), ca.certificate());
        TlsSpec tls = TlsSpec.trusting(caPem.toString());
        tls = switch (format) {
            case "pkcs8" -> tls.withClientCertificate(certPem.toString(),
                    TestCertificates.writeKey(dir.resolve("client.key"), client.key()).toString(), "");
            case "encrypted" -> tls.withClientCertificate(certPem.toString(),
                    TestCertificates.writeEncryptedKey(dir.resolve("client.key"), client.key(), SECRET).toString(), SECRET);
            case "pkcs12" -> tls.withClientCertificate(
                    TestCertificates.writePkcs12(dir.resolve("client.p12"), client, SECRET).toString(), "", SECRET);
            case "combined" -> {
                Path both = dir.resolve("client-and-key.pem");
                TestCertificates.writeKey(dir.resolve("k.pem"), client.key());
                Files.writeString(both, Files.readString(certPem) + Files.readString(dir.resolve("k.pem")));
                yield tls.withClientCertificate(both.toString(), "", "");
            }
            default -> throw new IllegalArgumentException(format);
        };
        assertEquals(client.certificate(), handshake(tls, true));
    }

    @Test
    void withoutClientCertificateTheServerRefuses() throws Exception {
        Path caPem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        assertThrows(IOException.class, () -> handshake(TlsSpec.trusting(caPem.toString()), true));
    }

    @Test
    void caFileErrorsNameTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertMessage(IOException.class, "tls.caFile " + missing + ": cannot read (NoSuchFileException)",
                TlsSpec.trusting(missing.toString()));

        Path noCert = Files.writeString(dir.resolve("key-only.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertMessage(GeneralSecurityException.class, "tls.caFile " + noCert + ": no certificate found",
                TlsSpec.trusting(noCert.toString()));

        Path empty = Files.write(dir.resolve("empty.crt"), new byte[0]);
        assertMessage(GeneralSecurityException.class, "tls.caFile " + empty + ": no certificate found",
                TlsSpec.trusting(empty.toString()));

        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nTUlJQm9yaw==\n-----END CERTIFICATE-----\n");
        assertMessage(GeneralSecurityException.class, "tls.caFile " + broken + ": certificate 1 is not a valid X.509",
                TlsSpec.trusting(broken.toString()));

        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "this is not a certificate");
        assertMessage(GeneralSecurityException.class, "tls.caFile " + garbage + ": neither PEM, DER nor PKCS#12",
                TlsSpec.trusting(garbage.toString()));

        Path p12 = TestCertificates.writeTrustPkcs12(dir.resolve("trust.p12"), ca.certificate(), SECRET);
        assertMessage(GeneralSecurityException.class, "tls.caFile " + p12 + ": wrong password (tls.caPassword)",
                new TlsSpec(null, p12.toString(), "wrong-" + SECRET, "", "", "", true));
    }

    @Test
    void clientKeyErrorsNameTheFile() throws Exception {
        Path caPem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        TlsSpec base = TlsSpec.trusting(caPem.toString());
        Issued rsa = TestCertificates.client(ca, "rsa", "RSA");
        Issued ec = TestCertificates.client(ca, "ec", "EC");
        Path rsaCert = TestCertificates.writePem(dir.resolve("rsa.pem"), rsa.certificate());
        Path ecCert = TestCertificates.writePem(dir.resolve("ec.pem"), ec.certificate());
        Path rsaEncrypted = TestCertificates.writeEncryptedKey(dir.resolve("rsa-enc.key"), rsa.key(), SECRET);
        Path ecEncrypted = TestCertificates.writeEncryptedKey(dir.resolve("ec-enc.key"), ec.key(), SECRET);

        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + rsaEncrypted + ": wrong password",
                base.withClientCertificate(rsaCert.toString(), rsaEncrypted.toString(), "not-" + SECRET));
        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + ecEncrypted + ": wrong password",
                base.withClientCertificate(ecCert.toString(), ecEncrypted.toString(), "not-" + SECRET));
        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + ecEncrypted
                        + ": the key is encrypted and tls.keyPassword is empty",
                base.withClientCertificate(ecCert.toString(), ecEncrypted.toString(), ""));
        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + ecEncrypted
                        + ": the key does not belong to the first certificate of tls.clientCertFile " + rsaCert,
                base.withClientCertificate(rsaCert.toString(), ecEncrypted.toString(), SECRET));
        assertMessage(GeneralSecurityException.class, "tls.clientCertFile " + rsaCert + ": no private key found",
                base.withClientCertificate(rsaCert.toString(), "", ""));
        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + rsaCert + ": no private key found",
                base.withClientCertificate(rsaCert.toString(), rsaCert.toString(), ""));
        Path pkcs1 = TestCertificates.writeTraditionalKey(dir.resolve("rsa-pkcs1.key"), rsa.key());
        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + pkcs1 + ": RSA PRIVATE KEY (PKCS#1/SEC1) "
                + "is not supported", base.withClientCertificate(rsaCert.toString(), pkcs1.toString(), ""));
        Path keyOnly = TestCertificates.writeKey(dir.resolve("only.key"), rsa.key());
        assertMessage(GeneralSecurityException.class, "tls.clientCertFile " + keyOnly + ": no certificate found",
                base.withClientCertificate(keyOnly.toString(), keyOnly.toString(), ""));
        assertMessage(GeneralSecurityException.class, "tls.clientKeyFile " + keyOnly + ": set, but tls.clientCertFile is empty",
                base.withClientCertificate("", keyOnly.toString(), ""));

        Path p12 = TestCertificates.writePkcs12(dir.resolve("client.p12"), rsa, SECRET);
        assertMessage(GeneralSecurityException.class, "tls.clientCertFile " + p12 + ": wrong password (tls.keyPassword)",
                base.withClientCertificate(p12.toString(), "", "Xq-9z"));
        Path trustOnly = TestCertificates.writeTrustPkcs12(dir.resolve("trust-only.p12"), ca.certificate(), SECRET);
        assertMessage(GeneralSecurityException.class, "tls.clientCertFile " + trustOnly + ": PKCS#12 file without a private key",
                base.withClientCertificate(trustOnly.toString(), "", SECRET));
    }

    /** Files as openssl makes them (skipped without an openssl binary: a tool, not a peer). */
    @Test
    void readsWhatOpensslMakes() throws Exception {
        String openssl = Peers.executable("openssl");
        Assumptions.assumeTrue(openssl != null, "openssl is not installed");
        Issued client = TestCertificates.client(ca, "openssl-client", "RSA");
        Path cert = TestCertificates.writePem(dir.resolve("client.pem"), client.certificate());
        Path key = TestCertificates.writeKey(dir.resolve("client.key"), client.key());
        Path caPem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        Path encrypted = dir.resolve("client-enc.key");
        Path p12 = dir.resolve("client.p12");
        Path caP12 = dir.resolve("ca.p12");
        run(openssl, "pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(), "-passout", "pass:" + SECRET);
        run(openssl, "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
                "-passout", "pass:" + SECRET);
        run(openssl, "pkcs12", "-export", "-nokeys", "-in", caPem.toString(), "-out", caP12.toString(),
                "-passout", "pass:" + SECRET);
        TlsSpec base = TlsSpec.trusting(caPem.toString());
        assertEquals(client.certificate(), handshake(base.withClientCertificate(cert.toString(), encrypted.toString(), SECRET), true));
        assertEquals(client.certificate(), handshake(base.withClientCertificate(p12.toString(), "", SECRET), true));
        assertMessage(GeneralSecurityException.class, "tls.caFile " + caP12 + ": no certificate found (Java ignores",
                new TlsSpec(null, caP12.toString(), SECRET, "", "", "", true));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, () -> String.join(" ", command) + ": " + output);
    }

    private static void assertMessage(Class<? extends Exception> type, String start, TlsSpec tls) {
        Exception e = assertThrows(Exception.class, () -> TlsContexts.socketFactory(tls));
        assertTrue(type.isInstance(e), () -> "expected " + type.getSimpleName() + " but got " + e);
        assertTrue(e.getMessage().startsWith(start), () -> "expected a message starting with\n  " + start + "\nbut got\n  "
                + e.getMessage());
        for (String password : new String[] {tls.caPassword(), tls.keyPassword()}) {
            if (!password.isEmpty()) {
                assertFalse(e.getMessage().contains(password), "the message shows a password: " + e.getMessage());
            }
        }
    }

    /**
     * Connects with {@code tls} to an in-JVM TLS server presenting {@link #server}; returns the certificate the
     * client saw, or with {@code needClientAuth} the client certificate the server saw.
     */
    private static X509Certificate handshake(TlsSpec tls, boolean needClientAuth) throws Exception {
        SSLContext serverContext = SSLContext.getInstance("TLS");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.key(), SECRET.toCharArray(), new Certificate[] {server.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, SECRET.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        serverContext.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocketFactory factory = TlsContexts.socketFactory(tls);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(needClientAuth);
            CompletableFuture<X509Certificate> seenByServer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    return needClientAuth ? (X509Certificate) accepted.getSession().getPeerCertificates()[0] : null;
                } catch (IOException e) {
                    return null;
                }
            });
            X509Certificate seenByClient;
            try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 10_000);
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                if (socket.getInputStream().read() != 1) { // TLS 1.3: a refused client certificate shows here
                    throw new IOException("server closed the connection");
                }
                seenByClient = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            } // closed first: the server's close waits for our close_notify
            X509Certificate client = seenByServer.get(15, TimeUnit.SECONDS);
            return needClientAuth ? client : seenByClient;
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
