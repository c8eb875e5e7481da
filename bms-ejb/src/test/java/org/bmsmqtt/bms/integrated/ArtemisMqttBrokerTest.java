package org.bmsmqtt.bms.integrated;

import org.bmsmqtt.bms.security.PasswordHash;
import org.bmsmqtt.ra.testing.Peers;
import org.bmsmqtt.ra.testing.QuietCallback;
import org.bmsmqtt.ra.testing.TestCertificates;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The integrated broker on loopback against real MQTT clients: Paho v5 and the mosquitto command-line clients.
 */
class ArtemisMqttBrokerTest {

    private static final PasswordHash FAST = new PasswordHash(1_000); // tests need no real work factor

    @TempDir
    Path dir;
    private ArtemisMqttBroker broker;
    private int port;
    private final List<MqttClient> clients = new ArrayList<>();
    private final Map<String, BrokerAccount> accounts = new HashMap<>();

    @BeforeEach
    void setUp() {
        port = Peers.freePort();
        broker = new ArtemisMqttBroker(new BrokerUsers());
        account("admin", "admin-pw", true, TopicPermissions.ALL);
        account("sensor", "sensor-pw", true, new TopicPermissions(List.of("sensors/#"), List.of("cmd/+")));
        account("off", "off-pw", false, TopicPermissions.ALL);
        broker.usersChanged(accounts);
    }

    @AfterEach
    void tearDown() {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
                c.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
        broker.stop();
    }

    private void account(String user, String password, boolean enabled, TopicPermissions p) {
        accounts.put(user, new BrokerAccount(user, FAST.hash(password.toCharArray()), enabled, p));
    }

    private ArtemisMqttBroker.Options plain(boolean authentication) {
        return new ArtemisMqttBroker.Options("127.0.0.1", port, authentication, 0, null, null, dir.resolve("artemis"));
    }

    @Test
    void authenticationChecksUsersAndTheirEnabledFlag() throws Exception {
        broker.start(plain(true));
        assertTrue(broker.running());
        connect("c-admin", "admin", "admin-pw", true);
        assertRefused(() -> connect("c-wrong", "admin", "nope", true));
        assertRefused(() -> connect("c-unknown", "ghost", "admin-pw", true));
        assertRefused(() -> connect("c-disabled", "off", "off-pw", true));
        assertRefused(() -> connect("c-anon", null, null, true));
        for (int i = 0; i < 100 && broker.connectedClients() != 1; i++) {
            Thread.sleep(100); // refused connections are closed asynchronously
        }
        assertEquals(1, broker.connectedClients(), "only the admin stays connected");
    }

    @Test
    void withoutAuthenticationAnybodyConnects() throws Exception {
        broker.start(plain(false));
        MqttClient sub = connect("c-sub", null, null, true);
        BlockingQueue<String> got = listen(sub, "any/#");
        MqttClient pub = connect("c-pub", "whoever", "whatever", true);
        pub.publish("any/x", message("1", 1, false));
        assertEquals("any/x=1", got.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void topicPermissionsAreEnforcedForPublishAndSubscribe() throws Exception {
        broker.start(plain(true));
        MqttClient admin = connect("c-admin", "admin", "admin-pw", true);
        BlockingQueue<String> seen = listen(admin, "#");
        MqttClient sensor = connect("c-sensor", "sensor", "sensor-pw", true);

        sensor.publish("other/x", message("forbidden", 1, false));
        sensor.publish("sensors/t1", message("21.5", 1, false));
        assertEquals("sensors/t1=21.5", seen.poll(10, TimeUnit.SECONDS), "the allowed publication arrives, the other not");
        assertNull(seen.poll(500, TimeUnit.MILLISECONDS));

        IMqttToken denied = sensor.subscribe(new MqttSubscription[]{new MqttSubscription("other/#", 1)});
        assertEquals(0x87, denied.getReasonCodes()[0], "SUBACK: not authorized");
        IMqttToken wider = sensor.subscribe(new MqttSubscription[]{new MqttSubscription("cmd/#", 1)});
        assertEquals(0x87, wider.getReasonCodes()[0], "cmd/# reaches further than cmd/+");
        BlockingQueue<String> cmds = listen(sensor, "cmd/+");
        admin.publish("cmd/light", message("on", 1, false));
        assertEquals("cmd/light=on", cmds.poll(10, TimeUnit.SECONDS));
        assertTrue(broker.messagesIn() >= 2 && broker.messagesOut() >= 2,
                "in " + broker.messagesIn() + " out " + broker.messagesOut());
    }

    /**
     * Active-active cluster members subscribe their command topics as MQTT 5 shared subscriptions: the broker hands
     * each message to one member of the share group, and a user's topic permissions apply to the topic behind the share.
     */
    @Test
    void sharedSubscriptionsHandEachMessageToOneSubscriberAndKeepPermissions() throws Exception {
        broker.start(plain(true));
        BlockingQueue<String> one = listen(connect("c-m1", "admin", "admin-pw", true), "$share/bms-site/cmd/+");
        BlockingQueue<String> two = listen(connect("c-m2", "sensor", "sensor-pw", true), "$share/bms-site/cmd/+");
        MqttClient sensor2 = connect("c-m3", "sensor", "sensor-pw", true);
        IMqttToken denied = sensor2.subscribe(new MqttSubscription[]{new MqttSubscription("$share/bms-site/other/#", 1)});
        assertEquals(0x87, denied.getReasonCodes()[0], "the share does not widen the user's permissions");
        MqttClient pub = connect("c-pub", "admin", "admin-pw", true);
        for (int i = 0; i < 100; i++) {
            pub.publish("cmd/" + i, message(Integer.toString(i), 1, false));
        }
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int fromOne = 0;
        while (got.size() < 100 && System.nanoTime() < end) {
            String a = one.poll(10, TimeUnit.MILLISECONDS);
            if (a != null) {
                got.add(a);
                fromOne++;
            }
            String b = two.poll(10, TimeUnit.MILLISECONDS);
            if (b != null) {
                got.add(b);
            }
        }
        assertNull(one.poll(300, TimeUnit.MILLISECONDS), "no message twice");
        assertNull(two.poll(10, TimeUnit.MILLISECONDS), "no message twice");
        assertEquals(100, got.size(), "each message once: " + got);
        assertEquals(100, new java.util.HashSet<>(got).size(), "each message once: " + got);
        assertTrue(fromOne > 0 && fromOne < 100, "both subscribers of the share got messages: " + fromOne + " / 100");
    }

    @Test
    void aUserDisabledAtRunTimeIsDisconnectedAndRefused() throws Exception {
        broker.start(plain(true));
        MqttClient sensor = connect("c-sensor", "sensor", "sensor-pw", true);
        CountDownLatch lost = new CountDownLatch(1);
        sensor.setCallback(new QuietCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                lost.countDown();
            }
        });
        account("sensor", "sensor-pw", false, new TopicPermissions(List.of("sensors/#"), List.of("cmd/+")));
        broker.usersChanged(accounts);
        assertTrue(lost.await(10, TimeUnit.SECONDS), "the disabled user's connection is closed");
        assertRefused(() -> connect("c-sensor-2", "sensor", "sensor-pw", true));

        account("sensor", "new-pw", true, TopicPermissions.ALL);
        broker.usersChanged(accounts);
        assertRefused(() -> connect("c-sensor-3", "sensor", "sensor-pw", true));
        connect("c-sensor-4", "sensor", "new-pw", true);
    }

    @Test
    void permissionsChangedAtRunTimeApplyAtOnce() throws Exception {
        broker.start(plain(true));
        MqttClient admin = connect("c-admin", "admin", "admin-pw", true);
        BlockingQueue<String> seen = listen(admin, "#");
        MqttClient sensor = connect("c-sensor", "sensor", "sensor-pw", true);
        sensor.publish("sensors/a", message("1", 1, false));
        assertEquals("sensors/a=1", seen.poll(10, TimeUnit.SECONDS));

        BrokerAccount before = accounts.get("sensor");
        accounts.put("sensor", new BrokerAccount("sensor", before.passwordHash(), true,
                new TopicPermissions(List.of("meters/#"), List.of())));
        broker.usersChanged(accounts); // the same stored password: the connection stays, the rights change
        sensor.publish("sensors/a", message("2", 1, false));
        sensor.publish("meters/m1", message("3", 1, false));
        assertEquals("meters/m1=3", seen.poll(10, TimeUnit.SECONDS));
        assertNull(seen.poll(500, TimeUnit.MILLISECONDS));
    }

    @Test
    void theInternalPasswordWorksOnlyInThisJvmAndOnlyForItsUser() throws Exception {
        broker.start(plain(true));
        BrokerUsers users = broker.users();
        connect("c-internal", "admin", users.internalPassword("admin"), true);
        assertRefused(() -> connect("c-internal-2", "sensor", users.internalPassword("admin"), true));
        assertRefused(() -> connect("c-internal-3", "off", users.internalPassword("off"), true));
        assertRefused(() -> connect("c-internal-4", "admin", new BrokerUsers().internalPassword("admin"), true));
        assertFalse(users.internalPassword("admin").contains("admin-pw"));
    }

    @Test
    void retainedMessagesAndPersistentSessionsSurviveARestart() throws Exception {
        broker.start(plain(true));
        MqttClient admin = connect("c-admin", "admin", "admin-pw", true);
        admin.publish("state/door", message("open", 1, true));
        MqttClient durable = connect("c-durable", "sensor", "sensor-pw", false);
        durable.subscribe(new MqttSubscription[]{new MqttSubscription("cmd/+", 1)});
        durable.disconnect();
        admin.publish("cmd/heater", message("on", 1, false)); // queued for the offline persistent session
        admin.disconnect();

        broker.stop();
        broker.start(plain(true));

        MqttClient later = connect("c-later", "admin", "admin-pw", true);
        BlockingQueue<String> retained = listen(later, "state/#");
        assertEquals("state/door=open", retained.poll(10, TimeUnit.SECONDS), "the retained message survived");
        BlockingQueue<String> queued = new LinkedBlockingQueue<>();
        MqttClient back = client("c-durable");
        back.setCallback(collector(queued));
        back.connect(options("sensor", "sensor-pw", false));
        assertEquals("cmd/heater=on", queued.poll(10, TimeUnit.SECONDS), "the queued message of the session survived");
    }

    @Test
    void aTakenPortIsAClearErrorAndNothingRuns() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> broker.start(plain(true)));
            assertTrue(e.getMessage().contains("port " + port + " on 127.0.0.1 is not available"), e.getMessage());
            assertFalse(broker.running());
        }
        broker.start(plain(true)); // and once free, it starts
        assertTrue(broker.running());
    }

    @Test
    void aBrokerThatStoppedByItselfCanBeStartedAgain() throws Exception {
        broker.start(plain(true));
        broker.artemis().stop(); // as Artemis does on a critical I/O error, behind our back
        assertFalse(broker.running());
        port = Peers.freePort();
        broker.start(plain(true)); // not "already running": the dead one is replaced
        assertTrue(broker.running());
        connect("c-again", "admin", "admin-pw", true);
    }

    @Test
    void theTlsListenerServesTheKeystoreFromTheDataFolder() throws Exception {
        var ca = TestCertificates.ca("BMS test CA");
        var server = TestCertificates.server(ca, "localhost", "127.0.0.1");
        Path keystore = TestCertificates.writePkcs12(dir.resolve("broker.p12"), server, "store-pw");
        int tlsPort = Peers.freePort();
        broker.start(new ArtemisMqttBroker.Options("127.0.0.1", port, true, tlsPort, keystore, "store-pw",
                dir.resolve("artemis")));
        assertFalse(broker.options().toString().contains("store-pw"), "the keystore password is never shown");

        MqttClient c = new MqttClient("ssl://127.0.0.1:" + tlsPort, "c-tls", new MemoryPersistence());
        clients.add(c);
        MqttConnectionOptions o = options("admin", "admin-pw", true);
        o.setSocketFactory(TestCertificates.trusting(ca.certificate()));
        o.setHttpsHostnameVerificationEnabled(false);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.setCallback(collector(got));
        c.connect(o);
        c.subscribe(new MqttSubscription[]{new MqttSubscription("tls/#", 1)});
        c.publish("tls/x", message("secret-channel", 1, false));
        assertEquals("tls/x=secret-channel", got.poll(10, TimeUnit.SECONDS));

        MqttClient untrusting = new MqttClient("ssl://127.0.0.1:" + tlsPort, "c-tls-2", new MemoryPersistence());
        clients.add(untrusting);
        MqttConnectionOptions o2 = options("admin", "admin-pw", true);
        o2.setSocketFactory(TestCertificates.trusting(TestCertificates.ca("other CA").certificate()));
        assertThrows(MqttException.class, () -> untrusting.connect(o2), "a client trusting another CA is refused");
    }

    @Test
    void theMosquittoCommandLineClientsWork() throws Exception {
        String pub = Peers.executable("mosquitto_pub");
        String sub = Peers.executable("mosquitto_sub");
        Peers.require(pub != null && sub != null, "mosquitto_pub / mosquitto_sub are not installed (package mosquitto-clients)");
        broker.start(plain(true));
        Process s = new ProcessBuilder(sub, "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv5",
                "-u", "sensor", "-P", "sensor-pw", "-t", "cmd/+", "-C", "1", "-v", "-W", "20").redirectErrorStream(true).start();
        MqttClient admin = connect("c-admin", "admin", "admin-pw", true);
        String line = null;
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < 100 && line == null; i++) { // until mosquitto_sub has subscribed, then the message arrives
            admin.publish("cmd/fan", message("42", 0, false));
            if (s.getInputStream().available() > 0 || !s.isAlive()) {
                line = reader.readLine();
            }
            Thread.sleep(100);
        }
        assertTrue(s.waitFor(20, TimeUnit.SECONDS));
        assertEquals("cmd/fan 42", line);

        BlockingQueue<String> seen = listen(admin, "sensors/#");
        Process p = new ProcessBuilder(pub, "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv5", "-u", "sensor",
                "-P", "sensor-pw", "-t", "sensors/hall", "-m", "19.5", "-q", "1").redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals("sensors/hall=19.5", seen.poll(10, TimeUnit.SECONDS));

        Process bad = new ProcessBuilder(pub, "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv5", "-u", "sensor",
                "-P", "wrong", "-t", "sensors/hall", "-m", "1").redirectErrorStream(true).start();
        assertTrue(bad.waitFor(20, TimeUnit.SECONDS));
        assertTrue(bad.exitValue() != 0, "a wrong password fails mosquitto_pub");
    }

    // --- helpers

    private MqttClient client(String id) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        clients.add(c);
        return c;
    }

    private static MqttConnectionOptions options(String user, String password, boolean cleanStart) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        if (user != null) {
            o.setUserName(user);
        }
        if (password != null) {
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
        o.setConnectionTimeout(10);
        return o;
    }

    private MqttClient connect(String id, String user, String password, boolean cleanStart) throws MqttException {
        MqttClient c = client(id);
        c.connect(options(user, password, cleanStart));
        return c;
    }

    private static MqttMessage message(String payload, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retained);
        return m;
    }

    private static BlockingQueue<String> listen(MqttClient c, String filter) throws MqttException {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        c.setCallback(collector(q));
        IMqttToken t = c.subscribe(new MqttSubscription[]{new MqttSubscription(filter, 1)});
        assertTrue(t.getReasonCodes()[0] < 0x80, "subscribed to " + filter);
        return q;
    }

    private static MqttCallback collector(BlockingQueue<String> q) {
        return new QuietCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                q.add(topic + "=" + new String(m.getPayload(), StandardCharsets.UTF_8));
            }
        };
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable connect) {
        MqttException e = assertThrows(MqttException.class, connect);
        assertTrue(e.getReasonCode() == 134 || e.getReasonCode() == 135, "refused with 134/135, got " + e.getReasonCode());
    }
}
