package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.bench.RelayBench.Result;
import org.bmsmqtt.ra.testing.QuietCallback;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One side of a {@link RelayBench} measurement on one broker: the paced publisher of commands and the watcher of
 * reports; the relay under test is the BMS or, for the baseline, a {@link TrivialRelay} process. Payloads are sequence
 * numbers taken from the bench's counter (never reused in a run) and matched exactly where they arrive.
 */
final class RelaySide implements AutoCloseable {

    /**
     * {@code -Dbench.relayTrace=<folder>}: each measurement also writes its per-message send times and latencies there
     * (one CSV per measurement), to tell a tail of stalls (clustered in time) from one spread over the messages.
     */
    private static final java.nio.file.Path TRACE = System.getProperty("bench.relayTrace", "").isBlank() ? null
            : java.nio.file.Path.of(System.getProperty("bench.relayTrace"));
    private static final AtomicInteger TRACES = new AtomicInteger();

    private final String who;
    private final String prefix;
    private final int qos;
    /** The baseline's relay process; null for the BMS's side. */
    private final TrivialRelay relay;
    private final MqttAsyncClient watcher;
    private final MqttAsyncClient pub;
    private final AtomicLong sequence;
    private volatile Run run;
    /** The latencies (ns, sorted) of the last {@link #measure}, for a result over several rounds. */
    private long[] lastLatencies = new long[0];
    /** CPU seconds the relaying process has used so far; NaN: not known. */
    private final java.util.function.DoubleSupplier cpu;

    /**
     * @param relay the trivial relay's process (then its CPU is the one counted), or null for the BMS's side
     * @param cpu   the relaying process's CPU seconds so far
     */
    RelaySide(String uri, String who, String prefix, int qos, TrivialRelay relay, java.util.function.DoubleSupplier cpu,
              AtomicLong sequence) throws MqttException {
        this.sequence = sequence;
        this.who = who;
        this.prefix = prefix;
        this.qos = qos;
        this.relay = relay;
        this.cpu = cpu;
        // Keep-alive off: the watcher must send nothing while it measures. Its PINGREQ every 60 s, sent while reports
        // streamed in, switched its socket into Linux's interactive mode, which delays ACKs (about 18 ms here); a
        // stock mosquitto keeps Nagle's algorithm on, so it then held each report until the delayed ACK and sent
        // them in bunches of 17-18: for the rest of that side's round the broker's hop to the watcher read p50 7 ms,
        // p99 20 ms (a packet capture: the relay's own hop unchanged). It struck whichever side's round the 60 s
        // timer fell into; the relay under test had no part in it.
        watcher = BmsBenchmark.client(uri, "bench-watch", true, 0);
        watcher.setCallback(new QuietCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                Run r = run;
                if (r != null) {
                    try {
                        r.arrived(Long.parseLong(new String(message.getPayload(), StandardCharsets.UTF_8).trim()), now);
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            }
        });
        watcher.subscribe(prefix + "+/state", qos).waitForCompletion(10_000);
        pub = BmsBenchmark.client(uri, "bench-cmd", true);
    }

    /** n new sequence numbers at {@code rate} msg/s, then waits for them (bounded); prints a line. */
    Result measure(int rate, int n, String what) throws Exception {
        Run r = new Run(sequence.getAndAdd(n) + 1, n);
        double cpu0 = cpu.getAsDouble();
        run = r;
        double interval = 1e9 / rate;
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long sendDeadline = start + (long) (2 * n * interval) + TimeUnit.SECONDS.toNanos(5);
        int sent = 0;
        for (int i = 0; i < n; i++) {
            waitUntil(start + (long) (i * interval));
            long seq = r.first + i;
            MqttMessage m = new MqttMessage(Long.toString(seq).getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            r.sentAt.set(i, System.nanoTime());
            if (!BmsBenchmark.publish(pub, prefix + (seq % RelayBench.POINTS) + "/set", m, sendDeadline)) {
                r.sentAt.set(i, 0);
                break;
            }
            sent++;
        }
        long sendEnd = System.nanoTime();
        double behindMs = Math.max(0, (sendEnd - start - (n - 1) * interval) / 1e6);
        // Until all arrived, or nothing more arrived for 2 s, or 10 s after the last send.
        int got = r.got();
        long lastChange = sendEnd;
        while (got < sent && System.nanoTime() - sendEnd < RelayBench.DRAIN_MAX_NANOS
                && System.nanoTime() - lastChange < RelayBench.DRAIN_IDLE_NANOS) {
            Thread.sleep(10);
            int now = r.got();
            if (now != got) {
                got = now;
                lastChange = System.nanoTime();
            }
        }
        run = null;
        if (TRACE != null) {
            java.nio.file.Files.createDirectories(TRACE);
            r.trace(TRACE.resolve(String.format("%03d %s %s.csv", TRACES.incrementAndGet(), who, what)
                    .replaceAll("[^A-Za-z0-9.,# -]", "_")), start, startMillis);
        }
        double cpuSeconds = cpu.getAsDouble() - cpu0;
        long[] l = r.sorted();
        lastLatencies = l;
        int k = l.length;
        Result res = new Result(k == 0 ? Double.NaN : l[k / 2] / 1e6,
                k == 0 ? Double.NaN : l[Math.min(k - 1, k * 99 / 100)] / 1e6, k, sent, n, behindMs, n / (double) rate,
                cpuSeconds);
        boolean step = what.startsWith("step");
        System.out.println(String.format("   %-18s %-26s %s  %s%s%s", who, what, res.text(), res.cpuText(),
                behindMs >= 1 ? String.format(", publisher %.0f ms behind", behindMs) : "",
                step ? (res.sustained() ? ": pass" : ": FAIL (" + res.failure() + ")") : ""));
        if (relay != null) {
            long dropped = relay.newlyDropped();
            if (dropped > 0) {
                System.out.println("   trivial relay could not republish " + dropped + " messages");
            }
            relay.clearBacklog(); // what a failed step left: not the next step's
        }
        return res;
    }

    /** The sorted latencies (ns) of the last {@link #measure}. */
    long[] lastLatencies() {
        return lastLatencies;
    }

    @Override
    public void close() throws MqttException {
        for (MqttAsyncClient c : new MqttAsyncClient[] {pub, watcher}) {
            try {
                c.disconnect().waitForCompletion(5000);
            } catch (MqttException e) {
                // gone already: closing is what matters
            }
            c.close();
        }
    }

    /** One measured run: send times by sequence number, latencies in arrival order. */
    private static final class Run {
        final long first;
        final AtomicLongArray sentAt;
        final long[] latencies;
        /** Per arrival: the message's index in the run and its send time (for {@link #trace}). */
        final int[] index;
        final long[] sent;
        private int got;

        Run(long first, int n) {
            this.first = first;
            this.sentAt = new AtomicLongArray(n);
            this.latencies = new long[n];
            this.index = new int[n];
            this.sent = new long[n];
        }

        void arrived(long seq, long now) {
            long k = seq - first;
            if (k < 0 || k >= sentAt.length()) {
                return; // another run's, or not ours
            }
            long t0 = sentAt.getAndSet((int) k, 0);
            if (t0 != 0) { // 0: a duplicate (QoS 1 may redeliver), or never sent
                synchronized (this) {
                    index[got] = (int) k;
                    sent[got] = t0;
                    latencies[got++] = now - t0;
                }
            }
        }

        synchronized int got() {
            return got;
        }

        /**
         * One line per arrival, in arrival order: index, send time since {@code start} and latency, in microseconds;
         * the first line gives {@code start} as wall-clock milliseconds (to line it up with a GC log).
         */
        synchronized void trace(java.nio.file.Path file, long start, long startMillis) throws java.io.IOException {
            StringBuilder b = new StringBuilder("# start ").append(startMillis).append('\n');
            for (int i = 0; i < got; i++) {
                b.append(index[i]).append(',').append((sent[i] - start) / 1000).append(',')
                        .append(latencies[i] / 1000).append('\n');
            }
            java.nio.file.Files.writeString(file, b);
        }

        synchronized long[] sorted() {
            long[] l = Arrays.copyOf(latencies, got);
            Arrays.sort(l);
            return l;
        }
    }

    /**
     * Parks until {@code due} (System.nanoTime). No spinning: a publisher that spun for exact pacing used 55-70 % of a
     * core at 8,000 msg/s (per-thread CPU from /proc), on a 2-core machine a third of what the relay under test and
     * the broker share. Parking wakes up to a few tens of microseconds late; a publisher behind its schedule sends
     * what is due at once, and each latency counts from the moment its message was actually sent.
     */
    private static void waitUntil(long due) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
