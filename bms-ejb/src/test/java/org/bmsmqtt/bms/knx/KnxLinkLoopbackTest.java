package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.datapoint.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tuwien.auto.calimero.DetachEvent;
import tuwien.auto.calimero.GroupAddress;
import tuwien.auto.calimero.link.KNXNetworkLink;
import tuwien.auto.calimero.link.KNXNetworkLinkIP;
import tuwien.auto.calimero.link.medium.TPSettings;
import tuwien.auto.calimero.process.ProcessCommunicatorImpl;
import tuwien.auto.calimero.process.ProcessEvent;
import tuwien.auto.calimero.process.ProcessListener;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link KnxLink} against a real KNX peer: Calimero's KNXnet/IP server with a virtual subnet on 127.0.0.1, and a
 * second Calimero client on it as the "device". Group writes both ways with the DPT's bytes, the bus echo of our own
 * write dropped, and a lost server: FAILED with the reason, writes held, CONNECTED again after it is back.
 * The waits are generous failure limits for events, not timing assertions.
 */
class KnxLinkLoopbackTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    static Path dir;

    private KnxTestServer server;
    private KnxLink link;
    private Device device;
    private final BlockingQueue<String> telegrams = new LinkedBlockingQueue<>();
    /** What the link's owner answers read requests with (the gateway: a binding with answerReads and a value). */
    private final java.util.Map<Integer, tuwien.auto.calimero.dptxlator.DPTXlator> answers =
            new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (device != null) {
            device.close();
        }
        if (link != null) {
            link.close();
            link.awaitClosed(10_000);
        }
        if (server != null) {
            server.close();
        }
    }

    private KnxLink link(KnxConnectionType type, int port) {
        var s = new KnxConnectionSettings("test", type, "127.0.0.1", port, "127.0.0.1", true, 1, 2_000, true);
        KnxLink l = new KnxLink(1, s, Thread::new, new KnxLink.Handler() {
            @Override
            public void telegram(KnxLink from, int ga, byte[] asdu) {
                telegrams.add(GroupAddresses.threeLevel(ga) + "=" + HexFormat.of().formatHex(asdu));
            }

            @Override
            public void connected(KnxLink from) {
            }

            @Override
            public void readRequest(KnxLink from, int ga) {
                var value = answers.get(ga);
                if (value != null) {
                    from.respond(new GroupAddress(ga), value);
                }
            }
        });
        l.start();
        return l;
    }

    private void startPeer(KnxConnectionType type) throws Exception {
        server = Peer.start(new KnxTestServer(dir));
        link = link(type, server.port());
        await(() -> link.status().state() == KnxState.CONNECTED, () -> "not connected: " + link.status());
        device = new Device(server.endpoint());
    }

    @Test
    void groupWritesBothWaysOverUdpTunnelling() throws Exception {
        startPeer(KnxConnectionType.TUNNELING_UDP);
        KnxDpt temp = KnxDpt.of("9.001", "dpt");
        assertTrue(link.write(new GroupAddress(1, 2, 3), temp.translator(DataType.REAL, "21.5")));
        assertEquals("1/2/3=0c33", device.next(), "the device sees the DPT 9.001 bytes of 21.5");

        device.writeAfterAck(new GroupAddress(1, 2, 4), new byte[]{1}, true);
        assertEquals("1/2/4=01", telegrams.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        // The write is counted when Calimero's confirmation returns, which can come after the device saw it.
        await(() -> link.status().telegramsOut() == 1, () -> "one telegram out: " + link.status());
        KnxStatus st = link.status();
        assertEquals(1, st.telegramsOut());
        assertEquals(1, st.telegramsIn());
    }

    @Test
    void readRequestsReachTheBusPaced() throws Exception {
        startPeer(KnxConnectionType.TUNNELING_UDP);
        link.read(new GroupAddress(1, 2, 5), 0);
        link.read(new GroupAddress(1, 2, 6), KnxGateway.READ_PACE_MILLIS);
        assertEquals("read 1/2/5", device.next());
        assertEquals("read 1/2/6", device.next(), "in the order they were paced");
    }

    @Test
    void readRequestsFromTheBusAreAnsweredWithAGroupResponse() throws Exception {
        startPeer(KnxConnectionType.TUNNELING_UDP);
        answers.put(new GroupAddress(4, 0, 1).getRawAddress(), KnxDpt.of("9.001", "dpt").translator(DataType.REAL, "21.5"));
        answers.put(new GroupAddress(4, 0, 2).getRawAddress(), KnxDpt.of("1.001", "dpt").translator(DataType.BOOLEAN, "true"));
        device.read(new GroupAddress(4, 0, 1));
        assertEquals("response 4/0/1=0c33", device.next(), "a 2-byte value after the APCI");
        device.read(new GroupAddress(4, 0, 2));
        assertEquals("response 4/0/2=01", device.next(), "a 1-bit value inside the APCI");
        device.read(new GroupAddress(4, 0, 3)); // nobody's value: no answer
        device.write(new GroupAddress(4, 0, 9), new byte[]{0}, true);
        await(() -> link.status().telegramsIn() == 1, () -> "the write after the unanswered read: " + link.status());
        assertNull(device.seen.poll(), "no response to a read of an address without a value");
        assertEquals(2, link.status().readsAnswered());
        assertTrue(telegrams.stream().noneMatch(t -> t.startsWith("4/0/1") || t.startsWith("4/0/2")),
                "our own responses are not taken as new values: " + telegrams);
    }

    @Test
    void groupWritesBothWaysOverTcpTunnelling() throws Exception {
        startPeer(KnxConnectionType.TUNNELING_TCP);
        assertTrue(link.write(new GroupAddress(2, 0, 1), KnxDpt.of("5.001", "dpt").translator(DataType.INTEGER, "100")));
        assertEquals("2/0/1=ff", device.next());
        device.writeAfterAck(new GroupAddress(2, 0, 2), new byte[]{0x0c, 0x33}, false);
        assertEquals("2/0/2=0c33", telegrams.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void theBusEchoOfOurOwnWriteIsDropped() throws Exception {
        startPeer(KnxConnectionType.TUNNELING_UDP);
        GroupAddress ga = new GroupAddress(1, 2, 3);
        link.write(ga, KnxDpt.of("1.001", "dpt").translator(DataType.BOOLEAN, "true"));
        assertEquals("1/2/3=01", device.next());
        device.write(ga, new byte[]{1}, true); // the same value straight back (an actuator or a router reflecting it)
        device.write(ga, new byte[]{0}, true); // then a real change
        assertEquals("1/2/3=00", telegrams.poll(WAIT_SECONDS, TimeUnit.SECONDS), "only the change comes through");
        assertEquals(1, link.status().echoesDropped());
        device.write(ga, new byte[]{1}, true); // the same value again later is a real value: one echo per write
        assertEquals("1/2/3=01", telegrams.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aLostServerIsRetriedAndWritesWaitForIt() throws Exception {
        startPeer(KnxConnectionType.TUNNELING_UDP);
        device.close();
        device = null;
        int port = server.port();
        server.stop();
        await(() -> link.status().state() == KnxState.FAILED, () -> "still " + link.status());
        assertTrue(link.status().reason().contains("retrying every 1 s"), link.status().reason());

        KnxDpt sw = KnxDpt.of("1.001", "dpt");
        link.write(new GroupAddress(3, 0, 1), sw.translator(DataType.BOOLEAN, "false"));
        link.write(new GroupAddress(3, 0, 1), sw.translator(DataType.BOOLEAN, "true")); // the last value wins
        await(() -> link.status().writesDeferred() == 2, () -> "held: " + link.status());

        server = Peer.start(new KnxTestServer(dir, port));
        await(() -> link.status().state() == KnxState.CONNECTED, () -> "not back: " + link.status());
        await(() -> link.status().telegramsOut() == 1, () -> "held write not sent: " + link.status());
        assertEquals(2, link.status().connects());

        device = new Device(server.endpoint());
        link.write(new GroupAddress(3, 0, 2), sw.translator(DataType.BOOLEAN, "true"));
        assertEquals("3/0/2=01", device.next());
    }

    @Test
    void anUnreachableInterfaceFailsWithTheReasonAndNeverBlocksTheCaller() throws Exception {
        int nobody = KnxTestServer.freeUdpPort();
        link = link(KnxConnectionType.TUNNELING_UDP, nobody); // returns at once: connecting is the link's business
        await(() -> link.status().state() == KnxState.FAILED, () -> "still " + link.status());
        assertTrue(link.status().lastError().startsWith("cannot connect"), link.status().lastError());
        assertNull(telegrams.poll());
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> why) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail(why.get());
            }
            Thread.sleep(20);
        }
    }

    /** The test's peer: skipped with the reason when it cannot run here, failed when CI=true. */
    static final class Peer {
        static KnxTestServer start(KnxTestServer s) throws Exception {
            s.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < end) {
                if (s.answers()) {
                    return s;
                }
                Thread.sleep(50);
            }
            String reason = "Calimero KNXnet/IP server on 127.0.0.1:" + s.port() + " did not come up";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason);
            }
            System.out.println("SKIPPED: " + reason);
            org.junit.jupiter.api.Assumptions.abort(reason);
            return s;
        }
    }

    /** A second client on the server: what a KNX device on the bus sees and sends. */
    private static final class Device implements AutoCloseable {
        private final KNXNetworkLink link;
        private final ProcessCommunicatorImpl pc;
        private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        Device(InetSocketAddress server) throws Exception {
            link = KNXNetworkLinkIP.newTunnelingLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server,
                    true, new TPSettings());
            pc = new ProcessCommunicatorImpl(link);
            pc.addProcessListener(new ProcessListener() {
                @Override
                public void groupWrite(ProcessEvent e) {
                    seen.add(e.getDestination() + "=" + HexFormat.of().formatHex(e.getASDU()));
                }

                @Override
                public void groupReadRequest(ProcessEvent e) {
                    seen.add("read " + e.getDestination());
                }

                @Override
                public void groupReadResponse(ProcessEvent e) {
                    seen.add("response " + e.getDestination() + "=" + HexFormat.of().formatHex(e.getASDU()));
                }

                @Override
                public void detached(DetachEvent e) {
                }
            });
        }

        String next() throws InterruptedException {
            String s = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(s, "the device saw no group write");
            return s;
        }

        /** A group write with raw ASDU bytes; {@code small}: a value of 6 bits or less travels inside the APCI. */
        void write(GroupAddress ga, byte[] asdu, boolean small) throws Exception {
            byte[] apdu = small ? new byte[]{0, (byte) (0x80 | asdu[0] & 0x3f)} : tuwien.auto.calimero.DataUnitBuilder
                    .createAPDU(0x80, asdu);
            link.sendRequestWait(ga, tuwien.auto.calimero.Priority.LOW, apdu);
        }

        /**
         * {@link #write} right after {@link #next}: Calimero's client tells its listeners of an indication before it
         * acknowledges it, and a request sent in between makes that acknowledgement fail ("nonblocking send invoked
         * while waiting for data response - aborted"); the server then repeats the indication and the request is
         * lost. Giving the acknowledgement a moment first keeps the test about our link, not about that race.
         */
        void writeAfterAck(GroupAddress ga, byte[] asdu, boolean small) throws Exception {
            Thread.sleep(300);
            write(ga, asdu, small);
        }

        void read(GroupAddress ga) throws Exception {
            link.sendRequestWait(ga, tuwien.auto.calimero.Priority.LOW, new byte[]{0, 0}); // A_GroupValue_Read
        }

        @Override
        public void close() {
            pc.detach();
            link.close();
        }
    }
}
