package org.bmsmqtt.bms.knx;

import tuwien.auto.calimero.CloseEvent;
import tuwien.auto.calimero.DetachEvent;
import tuwien.auto.calimero.GroupAddress;
import tuwien.auto.calimero.KNXException;
import tuwien.auto.calimero.Priority;
import tuwien.auto.calimero.dptxlator.DPTXlator;
import tuwien.auto.calimero.knxnetip.TcpConnection;
import tuwien.auto.calimero.link.KNXNetworkLink;
import tuwien.auto.calimero.link.NetworkLinkListener;
import tuwien.auto.calimero.process.ProcessCommunicator;
import tuwien.auto.calimero.process.ProcessCommunicatorImpl;
import tuwien.auto.calimero.process.ProcessEvent;
import tuwien.auto.calimero.process.ProcessListener;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * One live KNX connection over Calimero. Everything that may block (connect, group writes, which wait for the
 * interface's confirmation, read requests, close) runs on the link's own single thread, in order; callers never
 * wait. A connection that fails or is lost is retried at its interval. Writes while disconnected are held, the last
 * value per group address, and sent on reconnect. Telegrams arrive on Calimero's thread and go to the
 * {@link Handler}, after the bus echo of our own write is dropped.
 */
final class KnxLink {

    /** What the link tells its owner. Called on Calimero's or the link's thread: must not block. */
    interface Handler {
        void telegram(KnxLink link, int groupAddress, byte[] asdu);

        void connected(KnxLink link);

        /** A group read request from the bus; the owner may answer with {@link #respond}. */
        void readRequest(KnxLink link, int groupAddress);

        /** The link's state changed (see {@link #status()}): its datapoints can be reached or not. */
        default void stateChanged(KnxLink link) {
        }
    }

    /** Writes waiting on the link's thread at most; more are refused (the bus takes about 50 telegrams/s). */
    static final int MAX_PENDING_WRITES = 1000;
    private static final Logger LOG = Logger.getLogger(KnxLink.class.getName());

    private record Sent(byte[] asdu, long nanos) {
    }

    private final long id;
    private final String name;
    private final KnxConnectionSettings settings;
    private final Handler handler;
    private final ScheduledExecutorService thread;
    private final Map<Integer, Sent> sent = new ConcurrentHashMap<>();
    private final Map<Integer, DPTXlator> held = new LinkedHashMap<>(); // only on the link's thread
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder answered = new LongAdder();

    private volatile boolean closed;
    private volatile KNXNetworkLink link;
    private volatile ProcessCommunicator pc;
    private volatile TcpConnection tcp;
    private volatile KnxState state = KnxState.DISCONNECTED;
    private volatile String reason = "not started";
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";

    KnxLink(long id, KnxConnectionSettings settings, ThreadFactory threads, Handler handler) {
        this.id = id;
        this.name = settings.name();
        this.settings = settings;
        this.handler = handler;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, threads);
        t.setRemoveOnCancelPolicy(true);
        this.thread = t;
    }

    long id() {
        return id;
    }

    String name() {
        return name;
    }

    /** Connects in the background: never blocks the caller (start-up, a configuration change). */
    void start() {
        thread.execute(this::connect);
    }

    KnxStatus status() {
        return new KnxStatus(name, state, reason, since, lastError, in.sum(), out.sum(), echoes.sum(), deferred.sum(),
                errors.sum(), connects.sum(), answered.sum());
    }

    /**
     * Queues a group write. Refuses (false) only when too many writes wait already: the caller turns that into a
     * rejected command rather than letting a queue grow without bound.
     */
    boolean write(GroupAddress ga, DPTXlator value) {
        if (pending.incrementAndGet() > MAX_PENDING_WRITES) {
            pending.decrementAndGet();
            return false;
        }
        thread.execute(() -> {
            pending.decrementAndGet();
            send(ga, value);
        });
        return true;
    }

    /** Queues a group read request after {@code delayMillis} (pacing); the answer arrives as a telegram. */
    void read(GroupAddress ga, long delayMillis) {
        thread.schedule(() -> {
            KNXNetworkLink l = link;
            if (l == null) {
                return;
            }
            try {
                l.sendRequestWait(ga, Priority.LOW, new byte[]{0, 0}); // A_GroupValue_Read
            } catch (KNXException e) {
                error("read " + ga + ": " + e.getMessage());
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a group response (the answer to a read request from the bus); dropped while disconnected or when too
     * many writes wait, as a late answer is no answer. Noted like a write, so its echo is not taken as a new value.
     */
    void respond(GroupAddress ga, DPTXlator value) {
        if (pending.incrementAndGet() > MAX_PENDING_WRITES) {
            pending.decrementAndGet();
            return;
        }
        thread.execute(() -> {
            pending.decrementAndGet();
            KNXNetworkLink l = link;
            if (l == null) {
                return;
            }
            byte[] data = value.getData();
            // A_GroupValue_Response (APCI 0x40): values of at most 6 bits travel inside the APCI's last octet.
            byte[] apdu = value.getTypeSize() == 0 ? new byte[]{0, (byte) (0x40 | data[0] & 0x3f)}
                    : tuwien.auto.calimero.DataUnitBuilder.createAPDU(0x40, data);
            try {
                sent.put(ga.getRawAddress(), new Sent(data, System.nanoTime()));
                l.sendRequestWait(ga, Priority.LOW, apdu);
                answered.increment();
            } catch (KNXException e) {
                error("response " + ga + ": " + e.getMessage());
            }
        });
    }

    /** Closes the connection on its thread and stops retrying. */
    void close() {
        closed = true;
        thread.execute(() -> {
            disconnect();
            state(KnxState.DISCONNECTED, "closed");
        });
        thread.shutdown();
    }

    /** Waits for {@link #close()} to finish (shutdown of the application). */
    void awaitClosed(long millis) throws InterruptedException {
        thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    private void send(GroupAddress ga, DPTXlator value) {
        ProcessCommunicator p = pc;
        if (p == null) {
            held.put(ga.getRawAddress(), value); // the last value per address wins
            deferred.increment();
            return;
        }
        try {
            // Noted before sending: the echo can arrive before the confirmation does.
            sent.put(ga.getRawAddress(), new Sent(value.getData(), System.nanoTime()));
            p.write(ga, value);
            out.increment();
        } catch (KNXException e) {
            error("write " + ga + ": " + e.getMessage());
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        state(KnxState.CONNECTING, "connecting to " + settings.host() + ":" + settings.port());
        try {
            KNXNetworkLink l = KnxLinks.open(settings, c -> tcp = c);
            ProcessCommunicatorImpl p = new ProcessCommunicatorImpl(l);
            p.addProcessListener(new Telegrams());
            l.addLinkListener(new NetworkLinkListener() {
                @Override
                public void linkClosed(CloseEvent e) {
                    try {
                        thread.execute(() -> lost(l, e.getReason()));
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        // we closed it ourselves: nothing to retry
                    }
                }
            });
            link = l;
            pc = p;
            if (closed || !l.isOpen()) {
                lost(l, "closed while connecting");
                return;
            }
            connects.increment();
            state(KnxState.CONNECTED, "");
            LOG.info("BMS0901 KNX connection " + name + " connected to " + settings.host() + ":" + settings.port());
            flushHeld();
            handler.connected(this);
        } catch (KNXException | RuntimeException e) {
            disconnect(); // a TCP connection opened before the tunnel failed
            fail("cannot connect: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushHeld() {
        if (held.isEmpty()) {
            return;
        }
        var copy = new LinkedHashMap<>(held);
        held.clear();
        copy.forEach((ga, value) -> send(new GroupAddress(ga), value));
    }

    /** On the link's thread: the link closed (server gone, disconnect, heartbeat lost) unless we closed it. */
    private void lost(KNXNetworkLink l, String why) {
        if (link != l) {
            return; // an older link
        }
        disconnect();
        if (!closed) {
            fail("connection lost: " + why);
        }
    }

    private void fail(String why) {
        error(why);
        state(KnxState.FAILED, why + "; retrying every " + settings.reconnectIntervalSeconds() + " s");
        if (!closed) {
            thread.schedule(this::connect, settings.reconnectIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    private void disconnect() {
        ProcessCommunicator p = pc;
        KNXNetworkLink l = link;
        TcpConnection c = tcp;
        pc = null;
        link = null;
        tcp = null;
        try {
            if (p != null) {
                p.detach();
            }
            if (l != null) {
                l.close();
            }
            if (c != null) {
                c.close();
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "closing KNX connection " + name + ": " + e);
        }
    }

    private void telegram(ProcessEvent e) {
        int ga = e.getDestination().getRawAddress();
        byte[] asdu = e.getASDU();
        Sent s = sent.get(ga);
        long window = TimeUnit.MILLISECONDS.toNanos(settings.antiEchoMillis());
        if (s != null && Arrays.equals(s.asdu(), asdu) && System.nanoTime() - s.nanos() < window
                && sent.remove(ga, s)) {
            echoes.increment(); // our own write coming back: not a new value, and never a new command
            return;
        }
        in.increment();
        try {
            handler.telegram(this, ga, asdu);
        } catch (RuntimeException ex) {
            error("telegram to " + GroupAddresses.threeLevel(ga) + ": " + ex); // never throw into Calimero
        }
    }

    private void state(KnxState s, String why) {
        KnxState before = state;
        state = s;
        reason = why;
        since = Instant.now();
        if (before != s) {
            try {
                handler.stateChanged(this);
            } catch (RuntimeException e) {
                LOG.fine(() -> "KNX connection " + name + " state listener: " + e);
            }
        }
    }

    private void error(String message) {
        errors.increment();
        if (!message.equals(lastError)) {
            LOG.warning("BMS0902 KNX connection " + name + ": " + message);
        }
        lastError = message;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Group writes and read responses update datapoints; read requests go to the owner, which may answer. */
    private final class Telegrams implements ProcessListener {
        @Override
        public void groupWrite(ProcessEvent e) {
            telegram(e);
        }

        @Override
        public void groupReadResponse(ProcessEvent e) {
            telegram(e);
        }

        @Override
        public void groupReadRequest(ProcessEvent e) {
            try {
                handler.readRequest(KnxLink.this, e.getDestination().getRawAddress());
            } catch (RuntimeException ex) {
                error("read request for " + e.getDestination() + ": " + ex); // never throw into Calimero
            }
        }

        @Override
        public void detached(DetachEvent e) {
        }
    }
}
