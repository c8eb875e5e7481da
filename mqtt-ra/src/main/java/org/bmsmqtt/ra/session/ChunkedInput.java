package org.bmsmqtt.ra.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketOption;

/**
 * A socket's input read in chunks of up to {@value #CHUNK} bytes. Paho's receiver reads each MQTT packet in three or
 * more calls (its first byte, its length, its body) and asks {@code available()} before each packet; on a bare socket
 * stream every one of those is a system call, so a relay paid four per message it received. Here one read takes what
 * the kernel holds (many packets at high rates) and {@code available()} answers from the chunk alone.
 * Only Paho's receiver thread reads, so nothing is synchronized. A read that times out (Paho polls with a 1 s timeout)
 * leaves the chunk as it was.
 * <p>
 * Quick ACKs: a socket that also sends (reports, PUBACKs) is taken by Linux for an interactive one, whose ACKs wait
 * up to tens of milliseconds for data to ride on. A broker with Nagle's algorithm on (mosquitto's default,
 * {@code set_tcp_nodelay false}) then holds its next delivery until our report of the previous one has gone out:
 * each command waited on the one before it. After every read that emptied the socket, TCP_QUICKACK (Linux; where
 * the JDK does not offer it, nothing is done) has the kernel acknowledge at once, so the broker sends the next
 * delivery as soon as it has it.
 */
final class ChunkedInput extends InputStream {

    static final int CHUNK = 8192;
    /**
     * jdk.net.ExtendedSocketOptions.TCP_QUICKACK, or null where the JDK does not offer it or the system property
     * {@code org.bmsmqtt.ra.quickAck} is {@code false} (for a comparison: the re-arm costs a system call per read).
     */
    private static final SocketOption<Boolean> QUICK_ACK =
            Boolean.parseBoolean(System.getProperty("org.bmsmqtt.ra.quickAck", "true")) ? quickAckOption() : null;

    private final InputStream in;
    /** The socket to re-arm quick ACKs on after a read, or null (a bare stream; a socket that refused the option). */
    private Socket quickAck;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;
    private int count;

    ChunkedInput(InputStream in) {
        this.in = in;
    }

    /** The input of {@code socket}, re-arming its quick ACKs where the platform has them. */
    private ChunkedInput(InputStream in, Socket socket) {
        this(in);
        if (QUICK_ACK != null && socket.supportedOptions().contains(QUICK_ACK)) {
            this.quickAck = socket;
        }
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Boolean> quickAckOption() {
        try {
            return (SocketOption<Boolean>) Class.forName("jdk.net.ExtendedSocketOptions").getField("TCP_QUICKACK")
                    .get(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** A plain socket whose {@link #getInputStream()} is chunked (created unconnected: Paho connects it). */
    static Socket socket() {
        return new Socket() {
            private InputStream input;

            @Override
            public synchronized InputStream getInputStream() throws IOException {
                if (input == null) {
                    input = new ChunkedInput(super.getInputStream(), this);
                }
                return input;
            }
        };
    }

    /** False at the end of the stream. */
    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, CHUNK);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        count = n;
        if (n < CHUNK) { // the socket is empty: what arrives next is acknowledged at once
            quickAck();
        }
        return true;
    }

    private void quickAck() {
        Socket s = quickAck;
        if (s != null) {
            try {
                s.setOption(QUICK_ACK, Boolean.TRUE);
            } catch (IOException | RuntimeException e) {
                quickAck = null; // not worth a second try: the read path stays as it was
            }
        }
    }

    /** Whether reads re-arm quick ACKs on the socket (for tests). */
    boolean quickAcks() {
        return quickAck != null;
    }

    @Override
    public int read() throws IOException {
        if (pos >= count && !fill()) {
            return -1;
        }
        return chunk[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos >= count) {
            if (len >= CHUNK) {
                return in.read(b, off, len); // a large body: straight into the caller's array
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, count - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * What the chunk still holds, without asking the socket (a system call): a valid estimate of what can be read
     * without blocking. Paho's receiver asks before every packet and only stores the answer in a flag nothing reads.
     */
    @Override
    public int available() {
        return count - pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
