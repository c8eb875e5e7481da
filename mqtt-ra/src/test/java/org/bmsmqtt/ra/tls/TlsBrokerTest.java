package org.bmsmqtt.ra.tls;

import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.api.TlsSpec;
import org.bmsmqtt.ra.testing.AdapterHarness;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.TestCertificates;
import org.bmsmqtt.ra.testing.TestCertificates.Issued;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-broker TLS end to end: the adapter (outside a server) against mosquitto processes of the test's own with TLS
 * listeners on free loopback ports, and certificates made at test time. States are awaited with a bounded poll.
 */
class TlsBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger IDS = new AtomicInteger();

    private static Issued ca;
    private static Issued otherCa;

    @TempDir
    Path dir;

    private AdapterHarness harness;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.ca("test CA");
        otherCa = TestCertificates.ca("other CA");
    }

    @BeforeEach
    void start() {
        Peers.require(Peers.mosquittoInstalled(), "mosquitto is not installed");
        harness = new AdapterHarness();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void rightCaConnectsAndAMessageRoundTrips() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"));
        MqttConnection connection = connect(broker, trustCa());
        awaitState(connection, SessionState.CONNECTED);

        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient subscriber = new MqttClient(uri(broker), "tls-subscriber-" + IDS.incrementAndGet(), new MemoryPersistence());
        open.add(() -> {
            if (subscriber.isConnected()) {
                subscriber.disconnect();
            }
            subscriber.close();
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(TestCertificates.trusting(ca.certificate()));
        subscriber.connect(options);
        // not subscribe(String, int, listener): in Paho 1.2.5 it recurses into a StackOverflowError
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("tls/roundtrip", 1)},
                new IMqttMessageListener[] {(topic, message) ->
                        received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8))});

        connection.publish(Publication.of("tls/roundtrip", "over TLS", 1, false));
        assertEquals("tls/roundtrip=over TLS", received.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void wrongCaFails() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"));
        TlsSpec trustsOther = TlsSpec.trusting(pem("other-ca.pem", otherCa).toString());
        SessionStatus status = awaitState(connect(broker, trustsOther), SessionState.FAILED);
        assertReason(status, "unable to find valid certification path");
    }

    @Test
    void expiredServerCertificateFails() throws Exception {
        Issued expired = TestCertificates.server(ca, Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)), "127.0.0.1");
        Mosquitto broker = tlsBroker(expired);
        SessionStatus status = awaitState(connect(broker, trustCa()), SessionState.FAILED);
        assertReason(status, "CertificateExpiredException");
    }

    @Test
    void wrongHostNameFailsUnlessVerificationIsOff() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "broker.example.org"));
        SessionStatus status = awaitState(connect(broker, trustCa()), SessionState.FAILED);
        assertReason(status, "No subject alternative names matching IP address 127.0.0.1");

        awaitState(connect(broker, trustCa().withHostnameVerification(false)), SessionState.CONNECTED);
    }

    @Test
    void brokerRequiringAClientCertificateRefusesUsWithoutOne() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"), "require_certificate true");
        SessionStatus status = awaitState(connect(broker, trustCa()), SessionState.FAILED);
        assertTrue(!status.reason().isEmpty(), status::toString);
    }

    @Test
    void clientCertificateAsPkcs12() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"), "require_certificate true");
        Issued client = TestCertificates.client(ca, "pkcs12-client", "RSA");
        Path p12 = TestCertificates.writePkcs12(dir.resolve("client.p12"), client, "p12-secret");
        awaitState(connect(broker, trustCa().withClientCertificate(p12.toString(), "", "p12-secret")),
                SessionState.CONNECTED);
    }

    @Test
    void clientCertificateAsPemWithEncryptedKey() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"), "require_certificate true");
        Issued client = TestCertificates.client(ca, "pem-client", "EC");
        Path cert = TestCertificates.writePem(dir.resolve("client.pem"), client.certificate(), ca.certificate());
        Path key = TestCertificates.writeEncryptedKey(dir.resolve("client.key"), client.key(), "key-secret");
        awaitState(connect(broker, trustCa().withClientCertificate(cert.toString(), key.toString(), "key-secret")),
                SessionState.CONNECTED);
    }

    @Test
    void clientCertificateOfAnotherCaFails() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"), "require_certificate true");
        Issued stranger = TestCertificates.client(otherCa, "stranger", "EC");
        Path p12 = TestCertificates.writePkcs12(dir.resolve("stranger.p12"), stranger, "p12-secret");
        awaitState(connect(broker, trustCa().withClientCertificate(p12.toString(), "", "p12-secret")),
                SessionState.FAILED);
    }

    @Test
    void passwordOverTls() throws Exception {
        String mosquittoPasswd = Peers.executable("mosquitto_passwd");
        Peers.require(mosquittoPasswd != null, "mosquitto_passwd is not installed");
        Path passwords = dir.resolve("passwords");
        Process p = new ProcessBuilder(mosquittoPasswd, "-b", "-c", passwords.toString(), "device", "right-password")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS) && p.exitValue() == 0,
                () -> "mosquitto_passwd failed: " + new String(readAll(p), StandardCharsets.UTF_8));
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"),
                "allow_anonymous false", "password_file " + passwords);

        SessionStatus wrong = awaitState(connect(broker, trustCa(), "device", "wrong-password"), SessionState.FAILED);
        // MQTT 5 says 134 (bad user name or password); mosquitto 2.0 answers 135 (not authorized)
        assertTrue(wrong.reason().matches("MQTT reason code 13[45]: .*"), wrong::toString);
        assertTrue(!wrong.reason().contains("wrong-password"), wrong::toString);
        awaitState(connect(broker, trustCa(), "device", "right-password"), SessionState.CONNECTED);
    }

    @Test
    void onlyTheConfiguredTlsVersionsAreOffered() throws Exception {
        // mosquitto 2's tls_version is the lowest version the listener accepts
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"), "tls_version tlsv1.3");
        SessionStatus status = awaitState(connect(broker, trustCa().withVersions(List.of("TLSv1.2"))),
                SessionState.FAILED);
        assertReason(status, "protocol_version");
        awaitState(connect(broker, trustCa().withVersions(List.of("TLSv1.3"))), SessionState.CONNECTED);
    }

    @Test
    void anUnreadableCaFileShowsInTheStatus() throws Exception {
        Mosquitto broker = tlsBroker(TestCertificates.server(ca, "127.0.0.1"));
        Path missing = dir.resolve("no-such-ca.pem");
        SessionStatus status = awaitState(connect(broker, TlsSpec.trusting(missing.toString())), SessionState.FAILED);
        assertReason(status, "tls.caFile " + missing + ": cannot read");
    }

    // --- helpers ---

    /** A mosquitto with a TLS listener presenting {@code server}, trusting {@link #ca} for client certificates. */
    private Mosquitto tlsBroker(Issued server, String... extra) throws Exception {
        Mosquitto broker = Mosquitto.onFreePort(dir);
        Path certs = broker.dir().resolve("certs");
        List<String> lines = new ArrayList<>(List.of(
                "listener " + broker.port() + " 127.0.0.1",
                "cafile " + TestCertificates.writePem(certs.resolve("ca.pem"), ca.certificate()),
                "certfile " + TestCertificates.writePem(certs.resolve("server.pem"), server.certificate()),
                "keyfile " + TestCertificates.writeKey(certs.resolve("server.key"), server.key())));
        lines.addAll(List.of(extra));
        if (lines.stream().noneMatch(l -> l.startsWith("allow_anonymous"))) {
            lines.add("allow_anonymous true");
        }
        broker.withConfig(true, lines.toArray(String[]::new));
        open.add(broker);
        return broker.start();
    }

    private TlsSpec trustCa() throws Exception {
        return TlsSpec.trusting(pem("ca.pem", ca).toString());
    }

    private Path pem(String name, Issued issued) throws Exception {
        return TestCertificates.writePem(dir.resolve(name), issued.certificate());
    }

    private MqttConnection connect(Mosquitto broker, TlsSpec tls) throws Exception {
        return connect(broker, tls, "", "");
    }

    private MqttConnection connect(Mosquitto broker, TlsSpec tls, String user, String password) throws Exception {
        int id = IDS.incrementAndGet();
        BrokerSpec spec = BrokerSpec.of("tls-" + id, uri(broker), "tls-client-" + id)
                .withCredentials(user, password).withReconnectInterval(1).withTls(tls);
        MqttConnection connection = harness.connectionFactory().getConnection(spec);
        open.add(connection);
        return connection;
    }

    private static String uri(Mosquitto broker) {
        return "ssl://127.0.0.1:" + broker.port();
    }

    /** Polls the status until {@code expected} (at most {@link #WAIT}); fails with the last status otherwise. */
    private static SessionStatus awaitState(MqttConnection connection, SessionState expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        SessionStatus status = connection.status();
        while (status.state() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = connection.status();
        }
        SessionStatus last = status;
        assertEquals(expected, last.state(), () -> "status: " + last);
        System.out.println("[TlsBrokerTest] " + last.broker() + " " + last.state() + ": " + last.reason());
        return last;
    }

    private static void assertReason(SessionStatus status, String part) {
        assertNotNull(status.reason());
        assertTrue(status.reason().contains(part), () -> "expected the reason to mention '" + part + "': " + status);
    }

    private static byte[] readAll(Process p) {
        try {
            return p.getInputStream().readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }
}
