package org.bmsmqtt.ra.session;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A socket's input read in chunks of up to {@value #CHUNK} bytes. Paho's receiver reads each MQTT packet in three or
 * more calls (its first byte, its length, its body) and asks {@code available()} before each packet; on a bare socket
 * stream every one of those is a system call, so a relay paid four per message it received. Here one read takes what
 * the kernel holds (many packets at high rates) and {@code available()} answers from the chunk alone.
 * Only Paho's receiver thread reads, so nothing is synchronized. A read that times out (Paho polls with a 1 s timeout)
 * leaves the chunk as it was.
 */
final class ChunkedInput extends InputStream {

    static final int CHUNK = 8192;

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;
    private int count;

    ChunkedInput(InputStream in) {
        this.in = in;
    }

    /** A plain socket whose {@link #getInputStream()} is chunked (created unconnected: Paho connects it). */
    static Socket socket() {
        return new Socket() {
            private InputStream input;

            @Override
            public synchronized InputStream getInputStream() throws IOException {
                if (input == null) {
                    input = new ChunkedInput(super.getInputStream());
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
        return true;
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
