package org.bmsmqtt.it.bench;

import org.bmsmqtt.ra.testing.QuietCallback;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay benchmark's baseline, run as a program of its own (its own JVM, as the BMS has one): a trivial Paho
 * relay (TCP_NODELAY) that subscribes {@code <prefix>+/set} with QoS Q and republishes each message to
 * {@code .../state} with QoS Q. Arguments: server URI, topic prefix, QoS. It prints {@code READY} once subscribed and
 * {@code DROPPED n} (a running total) when a republish fails; a line {@code CLEAR} on its standard input drops its
 * backlog (what a failed step left is not the next step's), and it ends when its standard input closes.
 * <p>
 * In the bench's own JVM (as it was until 2026-12-03) the baseline shared the publisher's process: a stall of that
 * JVM (a GC pause, a safepoint) held back the publisher too, so the messages it would have sent meanwhile were
 * sent late and counted from then, while a stall of the BMS's process counted in full. Now both relays are measured
 * the same way, and the CPU counted is each one's whole process (threads, GC and JIT alike).
 */
public final class TrivialRelay implements AutoCloseable {

    private final Process child;
    private final AtomicLong dropped = new AtomicLong();
    private long droppedShown;

    private TrivialRelay(Process child) {
        this.child = child;
    }

    /** Starts the relay in a JVM of its own and waits until it has subscribed (30 s at most). */
    static TrivialRelay start(String uri, String prefix, int qos) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        String extra = System.getProperty("bench.trivialJvmArgs", "").trim(); // e.g. a profiler, as for the BMS
        if (!extra.isEmpty()) {
            command.addAll(java.util.List.of(extra.split("\\s+")));
        }
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), TrivialRelay.class.getName(),
                uri, prefix, Integer.toString(qos)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        TrivialRelay relay = new TrivialRelay(p);
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.startsWith("DROPPED ")) {
                        relay.dropped.set(Long.parseLong(line.substring(8)));
                    }
                }
            } catch (java.io.IOException e) {
                // child gone
            }
        }, "trivial-relay-reader");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(30, TimeUnit.SECONDS)) {
            relay.close();
            throw new IllegalStateException("trivial relay did not start");
        }
        return relay;
    }

    long pid() {
        return child.pid();
    }

    /** The relay process's CPU seconds so far (all its threads). */
    double cpuSeconds() {
        try {
            return StartupBenchmark.cpuSeconds(child.pid());
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
    }

    /** Drops what the relay still holds back (a failed step's leftovers). */
    void clearBacklog() {
        try {
            child.getOutputStream().write("CLEAR\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            child.getOutputStream().flush();
        } catch (java.io.IOException e) {
            // gone: the next measurement says so
        }
    }

    /** Republishes that failed since the last call. */
    long newlyDropped() {
        long now = dropped.get();
        long d = now - droppedShown;
        droppedShown = now;
        return d;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            child.getOutputStream().close();
        } catch (java.io.IOException e) {
            // gone already
        }
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    // --- the child process ---------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String prefix = args[1];
        int qos = Integer.parseInt(args[2]);
        AtomicLong dropped = new AtomicLong();
        // What could not be published at once (in-flight window full): a second thread waits on it, since waiting in
        // Paho's callback would stop Paho reading the PUBACKs that free the window.
        LinkedBlockingQueue<Object[]> backlog = new LinkedBlockingQueue<>();
        MqttAsyncClient r = BmsBenchmark.client(uri, "bench-relay", true);
        r.setCallback(new QuietCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                MqttMessage m = new MqttMessage(message.getPayload());
                m.setQos(qos);
                String state = topic.substring(0, topic.length() - "set".length()) + "state";
                if (!backlog.isEmpty() || !offer(r, state, m, dropped)) {
                    backlog.add(new Object[] {state, m});
                }
            }
        });
        r.subscribe(prefix + "+/set", qos).waitForCompletion(10_000);
        Thread out = new Thread(() -> drain(r, backlog, dropped), "bench-relay-out");
        out.setDaemon(true);
        out.start();
        Thread report = new Thread(() -> {
            long shown = 0;
            while (true) {
                long d = dropped.get();
                if (d != shown) {
                    shown = d;
                    System.out.println("DROPPED " + d);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-relay-report");
        report.setDaemon(true);
        report.start();
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) { // until the bench closes our input (or is gone)
            if (line.equals("CLEAR")) {
                backlog.clear();
            }
        }
        try {
            r.disconnect().waitForCompletion(5000);
        } catch (MqttException e) {
            // closing is what matters
        }
        r.close();
        System.exit(0);
    }

    /** Publishes without waiting: false when Paho's in-flight window is full (never blocks Paho's callback thread). */
    private static boolean offer(MqttAsyncClient r, String topic, MqttMessage m, AtomicLong dropped) {
        try {
            r.publish(topic, m);
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT
                    || e.getReasonCode() == MqttClientException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE) {
                return false;
            }
            dropped.incrementAndGet();
            return true;
        }
    }

    /** Publishes the backlog, waiting on the in-flight window (5 s at most per message). */
    private static void drain(MqttAsyncClient r, LinkedBlockingQueue<Object[]> backlog, AtomicLong dropped) {
        while (true) {
            try {
                Object[] next = backlog.take();
                if (!BmsBenchmark.publish(r, (String) next[0], (MqttMessage) next[1],
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(5))) {
                    dropped.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (MqttException e) {
                dropped.incrementAndGet();
            }
        }
    }
}
