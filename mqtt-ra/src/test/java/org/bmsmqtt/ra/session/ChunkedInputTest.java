package org.bmsmqtt.ra.session;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Paho's receiver reads a packet as its first byte, a length and a body, after asking {@code available()}: through
 * {@link ChunkedInput} that is one read of the underlying stream per chunk, not four calls per packet.
 */
class ChunkedInputTest {

    /** 1,000 MQTT-like packets: type byte, one-byte length, body of that length. */
    private static byte[] packets(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] body = ("rep/" + (i % 100) + " " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(0x30);
            out.write(body.length);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Reads what Paho's MqttInputStream reads, the way it reads it; returns the packets' bytes in order. */
    private static byte[] readLikePaho(InputStream in, int n) throws IOException {
        DataInputStream data = new DataInputStream(in);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            in.available();
            byte type = data.readByte();
            int length = data.readByte();
            byte[] body = new byte[length];
            data.readFully(body);
            got.write(type);
            got.write(length);
            got.writeBytes(body);
        }
        return got.toByteArray();
    }

    /** Counts what reaches the stream below. */
    private static final class Counting extends InputStream {
        private final InputStream in;
        int reads;
        int availables;

        Counting(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            reads++;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return in.read(b, off, Math.min(len, 1000)); // a socket returns what it holds, often less than asked
        }

        @Override
        public int available() throws IOException {
            availables++;
            return in.available();
        }
    }

    @Test
    void a_thousand_packets_take_one_underlying_read_per_chunk_instead_of_several_calls_each() throws IOException {
        byte[] wire = packets(1000);
        Counting below = new Counting(new ByteArrayInputStream(wire));
        byte[] got = readLikePaho(new ChunkedInput(below), 1000);
        assertArrayEquals(wire, got);
        // 1,000 at most per underlying read (as a socket often gives), so wire / 1000 reads and a few to spare
        assertTrue(below.reads <= wire.length / 1000 + 2, "underlying reads: " + below.reads + " for " + wire.length
                + " bytes");
        assertEquals(0, below.availables, "available() answers from the chunk, never from the socket");

        Counting bare = new Counting(new ByteArrayInputStream(wire));
        readLikePaho(bare, 1000);
        assertTrue(bare.reads >= 3000, "the bare stream, for comparison: " + bare.reads);
    }

    @Test
    void a_read_that_times_out_leaves_the_chunk_and_the_next_read_goes_on() throws IOException {
        byte[] wire = packets(50);
        InputStream timesOutOnce = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(wire);
            private boolean timedOut;

            @Override
            public int read() throws IOException {
                throw new AssertionError("single-byte reads do not reach the socket");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!timedOut && in.available() < wire.length) { // the second fill: Paho's 1 s poll ends empty once
                    timedOut = true;
                    throw new SocketTimeoutException("Read timed out");
                }
                return in.read(b, off, Math.min(len, 100));
            }
        };
        ChunkedInput in = new ChunkedInput(timesOutOnce);
        byte[] first = new byte[100];
        assertEquals(100, in.read(first, 0, 100));
        assertThrows(SocketTimeoutException.class, in::read);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(first, 0, 100);
        for (int b; (b = in.read()) >= 0; ) {
            rest.write(b);
        }
        assertArrayEquals(wire, rest.toByteArray());
        assertEquals(-1, in.read(new byte[10], 0, 10));
    }

    @Test
    void the_factorys_sockets_read_in_chunks_and_keep_tcp_nodelay() throws Exception {
        byte[] wire = packets(1000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread writer = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(wire);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            try (Socket s = new NoDelaySocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                assertTrue(s.getTcpNoDelay());
                InputStream in = s.getInputStream();
                assertInstanceOf(ChunkedInput.class, in);
                assertSame(in, s.getInputStream());
                assertArrayEquals(wire, readLikePaho(in, 1000));
                assertEquals(-1, in.read());
            }
            writer.join(5000);
        }
    }

    /**
     * A relay's socket receives a command and sends a report soon after, so Linux treats it as interactive and
     * delays its ACKs; a broker with Nagle on then holds the next command until the report. After each read that
     * empties the socket, the factory's sockets switch quick ACKs on again. (Linux only: elsewhere the JDK has no
     * TCP_QUICKACK and nothing is done.)
     */
    @Test
    void after_a_read_the_factorys_sockets_acknowledge_at_once_even_when_they_also_send() throws Exception {
        assumeQuickAcks();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new NoDelaySocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket broker = server.accept()) {
            assertTrue(((ChunkedInput) s.getInputStream()).quickAcks());
            commandsInReportsOut(s, broker);
        }
    }

    static void assumeQuickAcks() throws IOException {
        try (Socket probe = new Socket()) {
            assumeTrue(probe.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK),
                    "this platform has no TCP_QUICKACK");
        }
    }

    /** Commands in, a report out at once after each (what makes the kernel delay ACKs): quick ACKs stay on. */
    static void commandsInReportsOut(Socket relay, Socket broker) throws IOException {
        OutputStream toRelay = broker.getOutputStream();
        InputStream fromRelay = broker.getInputStream();
        InputStream in = relay.getInputStream();
        for (int i = 0; i < 5; i++) {
            toRelay.write(new byte[] {0x30, 1, (byte) i});
            toRelay.flush();
            assertEquals(0x30, in.read());
            assertEquals(1, in.read());
            assertEquals(i, in.read());
            assertTrue(relay.getOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK),
                    "quick ACKs on again after the read of command " + i);
            relay.getOutputStream().write(new byte[] {0x30, 1, (byte) i});
            relay.getOutputStream().flush();
            assertEquals(0x30, fromRelay.read());
            assertEquals(1, fromRelay.read());
            assertEquals(i, fromRelay.read());
        }
    }
}
