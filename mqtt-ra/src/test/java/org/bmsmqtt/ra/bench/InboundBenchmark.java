package org.bmsmqtt.ra.bench;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.MqttMessageListener;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.inbound.MqttActivationSpec;
import org.bmsmqtt.ra.session.BrokerSession;
import org.bmsmqtt.ra.testing.AdapterHarness;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import javax.transaction.xa.XAResource;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Inbound throughput: a bare Paho v5 subscriber against the resource adapter's inbound path (static activation,
 * delivery lanes, work manager, counting endpoint), on one mosquitto of its own, for each QoS, runs alternating.
 * <p>
 * Settings (system properties, or {@code key=value} arguments without the {@code bench.} prefix):
 * {@code bench.messages} (200000), {@code bench.topics} (1000), {@code bench.qos} ("0,1"), {@code bench.runs} (3),
 * {@code bench.publishers} (2), {@code bench.window} (20000: most messages published but not yet counted by the
 * subscriber, so the publishers never bury the subscriber), {@code bench.warmup} (20000, 0 for none),
 * {@code bench.timeoutSeconds} (60 per run), {@code bench.lanes} (4, the activation's deliveryLanes),
 * {@code bench.receiveMaximum} (1000, for both subscribers), {@code bench.endpoint} ("direct", or "proxy" for a
 * reflective proxy endpoint as containers use), {@code bench.mosquitto} (binary, default from PATH),
 * {@code bench.mode}: {@code live} (default: the publishers run during the measurement, bounded by the window) or
 * {@code backlog} (QoS 1 only, QoS 0 stays live: the endpoint holds the first messages while all are published and
 * queued by the broker, then the clock runs while the subscriber drains the backlog: no publisher work measured),
 * {@code bench.variants} ("bare,adapter"; one of them alone for profiling).
 * <p>
 * Each run line also gives the CPU time per message of this JVM (subscriber and, in live mode, publishers) and of
 * mosquitto, and this JVM's context switches per message. Messages a bare subscriber does not get were lost by the
 * broker (or the run timed out); the adapter's own QoS 0 drops (full delivery lanes) are read from its session.
 */
public final class InboundBenchmark {

    private static final String FILTER = "bench/#";
    private static final String PROBE_TOPIC = "bench/probe";
    private static final Logger ADAPTER_LOG = Logger.getLogger("org.bmsmqtt.ra"); // held: levels live on loggers

    private final int messages;
    private final int topicCount;
    private final List<Integer> qosList;
    private final int runs;
    private final int publishers;
    private final int window;
    private final int warmup;
    private final long timeoutNanos;
    private final int lanes;
    private final int receiveMaximum;
    private final boolean proxyEndpoint;
    private final boolean backlog;
    private final List<Variant> variants;
    private final String[] topics;
    private Mosquitto broker;
    private int runNumber;

    private InboundBenchmark(Settings s) {
        messages = s.integer("messages", 200_000);
        topicCount = s.integer("topics", 1000);
        qosList = Arrays.stream(s.text("qos", "0,1").split(",")).map(String::trim).map(Integer::valueOf).toList();
        runs = s.integer("runs", 3);
        publishers = s.integer("publishers", 2);
        window = s.integer("window", 20_000);
        warmup = s.integer("warmup", 20_000);
        timeoutNanos = TimeUnit.SECONDS.toNanos(s.integer("timeoutSeconds", 60));
        lanes = s.integer("lanes", 4);
        receiveMaximum = s.integer("receiveMaximum", 1000);
        proxyEndpoint = "proxy".equalsIgnoreCase(s.text("endpoint", "direct"));
        backlog = "backlog".equalsIgnoreCase(s.text("mode", "live"));
        variants = Arrays.stream(s.text("variants", "bare,adapter").split(",")).map(String::trim)
                .map(v -> Variant.valueOf(v.toUpperCase(Locale.ROOT))).toList();
        topics = new String[topicCount];
        for (int i = 0; i < topicCount; i++) {
            topics[i] = "bench/" + i;
        }
    }

    public static void main(String[] args) throws Exception {
        ADAPTER_LOG.setLevel(Level.WARNING);
        InboundBenchmark bench = new InboundBenchmark(new Settings(args));
        String binary = System.getProperty("bench.mosquitto", Mosquitto.BINARY);
        if (Peers.executable(binary) == null) {
            System.err.println("mosquitto not found (PATH or -Dbench.mosquitto=/path/to/mosquitto)");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("inbound-bench");
        try (Mosquitto broker = Mosquitto.onFreePort(dir).start()) {
            bench.broker = broker;
            bench.runAll();
        }
        System.exit(0); // Paho and harness threads are not all daemons
    }

    private void runAll() throws Exception {
        System.out.printf(Locale.ROOT, "Inbound benchmark: mosquitto %s, %d messages over %d topics, %d publisher(s), "
                        + "window %d, receive maximum %d, %d lanes, %s endpoint, mode %s, %d cores, java %s%n",
                broker.uri(), messages, topicCount, publishers, window, receiveMaximum, lanes,
                proxyEndpoint ? "proxy" : "direct", backlog ? "backlog (QoS 1+; QoS 0 live)" : "live", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        List<String> summary = new ArrayList<>();
        for (int qos : qosList) {
            if (warmup > 0) {
                for (Variant v : variants) {
                    runOnce(v, qos, warmup, false);
                }
            }
            double[][] rates = new double[2][runs];
            for (int r = 0; r < runs; r++) {
                for (Variant v : variants) {
                    Result result = runOnce(v, qos, messages, true);
                    rates[v.ordinal()][r] = result.rate();
                }
            }
            double bare = median(rates[0]);
            double adapter = median(rates[1]);
            if (variants.size() < 2) {
                continue;
            }
            summary.add(String.format(Locale.ROOT, "QoS %d: bare %,.0f msg/s, adapter %,.0f msg/s, ratio %.2f (target >= 0.80)",
                    qos, bare, adapter, adapter / bare));
        }
        System.out.println();
        System.out.println("Medians of " + runs + " runs:");
        summary.forEach(System.out::println);
    }

    private enum Variant { BARE, ADAPTER }

    private record Result(long received, long sent, double seconds, double rate) {
    }

    private Result runOnce(Variant variant, int qos, int count, boolean report) throws Exception {
        int run = ++runNumber;
        Counter counter = new Counter();
        Subscriber subscriber = variant == Variant.BARE ? new BareSubscriber(run, qos, counter)
                : new AdapterSubscriber(run, qos, counter);
        List<Publisher> pubs = new ArrayList<>();
        try {
            subscriber.start();
            for (int p = 0; p < publishers; p++) {
                pubs.add(new Publisher("bench-pub-" + run + "-" + p, qos));
            }
            awaitProbe(pubs.get(0), counter);
            // Backlog: the endpoint holds the first messages, the broker queues the rest (receive maximum);
            // the clock starts when the gate opens, so the publishers' work is not in the measurement.
            boolean gated = backlog && qos > 0;
            if (gated) {
                counter.closeGate();
            }

            AtomicLong sent = new AtomicLong();
            AtomicLong waitedNanos = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long publishDeadline = System.nanoTime() + timeoutNanos;
            long deadline = publishDeadline;
            List<Thread> threads = new ArrayList<>();
            long publishStart = System.nanoTime();
            Cpu cpuStart = Cpu.now();
            for (int p = 0; p < publishers; p++) {
                Publisher pub = pubs.get(p);
                int first = p;
                Thread t = new Thread(() -> {
                    try {
                        for (int i = first; i < count && System.nanoTime() < publishDeadline; i += publishers) {
                            if (!gated && sent.get() - counter.count() > window) {
                                long w = System.nanoTime();
                                while (sent.get() - counter.count() > window && System.nanoTime() < publishDeadline) {
                                    LockSupport.parkNanos(50_000);
                                }
                                waitedNanos.addAndGet(System.nanoTime() - w);
                            }
                            pub.publish(topics[i % topicCount], payload(i), publishDeadline);
                            sent.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-publisher-" + p);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())) + 1000);
            }
            double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
            if (gated) {
                for (Publisher pub : pubs) {
                    pub.awaitAcks(deadline); // the broker has them all
                }
                deadline = System.nanoTime() + timeoutNanos;
                cpuStart = Cpu.now();
                counter.openGate();
            }
            // Wait for the rest: all of them, or until the deadline, or 3 s without progress (lost QoS 0 messages).
            long lastCount = -1;
            long lastProgress = System.nanoTime();
            while (counter.count() < sent.get() && System.nanoTime() < deadline) {
                long c = counter.count();
                if (c != lastCount || counter.gated()) {
                    lastCount = c;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(3)) {
                    break;
                }
                Thread.sleep(5);
            }
            long received = counter.count();
            Cpu cpu = Cpu.now().minus(cpuStart);
            double seconds = counter.seconds();
            double rate = seconds > 0 ? received / seconds : 0;
            if (failure.get() != null) {
                System.out.println("  publisher failed: " + failure.get());
            }
            String extra = subscriber.notes();
            if (variant == Variant.BARE && received < sent.get()) {
                extra += "; " + (sent.get() - received) + " lost between publishers and subscriber (broker drop?)";
            }
            if (report) {
                System.out.printf(Locale.ROOT, "QoS %d %-7s run %d: %,9.0f msg/s  delivered %d/%d (%.2f%%) in %.2f s; "
                                + "published at %,.0f msg/s, publishers waited on the window %.0f%%; "
                                + "CPU/msg: JVM %.1f us, mosquitto %.1f us; context switches/msg %.2f%s%s%n",
                        qos, variant.name().toLowerCase(Locale.ROOT), run, rate, received, sent.get(),
                        100.0 * received / Math.max(1, sent.get()), seconds, sent.get() / publishSeconds,
                        100.0 * waitedNanos.get() / 1e9 / publishers / publishSeconds,
                        cpu.jvmNanos / 1e3 / Math.max(1, received), cpu.brokerNanos / 1e3 / Math.max(1, received),
                        (double) cpu.switches / Math.max(1, received),
                        received < count && System.nanoTime() >= deadline ? "; TIMED OUT" : "",
                        gated ? "; backlog drained" + extra : extra);
            } else {
                System.out.printf(Locale.ROOT, "QoS %d %-7s warm-up: %,9.0f msg/s (%d/%d)%n", qos,
                        variant.name().toLowerCase(Locale.ROOT), rate, received, sent.get());
            }
            return new Result(received, sent.get(), seconds, rate);
        } finally {
            counter.openGate();
            for (Publisher p : pubs) {
                p.close();
            }
            subscriber.close();
            System.gc();
            Thread.sleep(500);
        }
    }

    /** Publishes probes until the subscriber sees one: its subscription is in place. */
    private static void awaitProbe(Publisher pub, Counter counter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!counter.probeSeen()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscriber did not receive a probe within 20 s");
            }
            pub.publish(PROBE_TOPIC, "probe".getBytes(StandardCharsets.UTF_8), deadline);
            Thread.sleep(100);
        }
        Thread.sleep(300); // let stray probes arrive; they are not counted anyway
    }

    /** CPU time of this JVM and of its child mosquitto, and this JVM's context switches (Linux). */
    private record Cpu(long jvmNanos, long brokerNanos, long switches) {
        static Cpu now() {
            long jvm = ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            long brokerCpu = ProcessHandle.current().children()
                    .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
            long cs = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        for (String line : Files.readAllLines(t.resolve("status"))) {
                            if (line.contains("ctxt_switches:")) {
                                cs += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (java.io.IOException e) {
                        // thread ended meanwhile
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // not Linux
            }
            return new Cpu(jvm, brokerCpu, cs);
        }

        Cpu minus(Cpu o) {
            return new Cpu(jvmNanos - o.jvmNanos, brokerNanos - o.brokerNanos, switches - o.switches);
        }
    }

    private static byte[] payload(int i) {
        return (20 + (i % 100) / 10 + "." + i % 10).getBytes(StandardCharsets.US_ASCII);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Counts messages (not probes) and the time from the first to the last. */
    static final class Counter {
        private final AtomicLong count = new AtomicLong();
        private final LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
        private volatile long first;
        private volatile boolean probeSeen;
        private volatile java.util.concurrent.CountDownLatch gate;

        void message(String topic) {
            if (topic.length() == PROBE_TOPIC.length() && topic.equals(PROBE_TOPIC)) {
                probeSeen = true;
                return;
            }
            java.util.concurrent.CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long now = System.nanoTime();
            if (count.incrementAndGet() == 1) {
                first = now;
            }
            last.accumulate(now);
        }

        long count() {
            return count.get();
        }

        void closeGate() {
            gate = new java.util.concurrent.CountDownLatch(1);
        }

        void openGate() {
            java.util.concurrent.CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        boolean gated() {
            return gate != null;
        }

        boolean probeSeen() {
            return probeSeen;
        }

        double seconds() {
            long n = count.get();
            return n < 2 ? 0 : (last.get() - first) / 1e9;
        }
    }

    private interface Subscriber extends AutoCloseable {
        void start() throws Exception;

        default String notes() {
            return "";
        }

        @Override
        void close();
    }

    /** Plain Paho: memory persistence, a callback that counts, automatic acks. */
    private final class BareSubscriber implements Subscriber, MqttCallback {
        private final int qos;
        private final Counter counter;
        private final MqttAsyncClient client;

        BareSubscriber(int run, int qos, Counter counter) throws MqttException {
            this.qos = qos;
            this.counter = counter;
            this.client = new MqttAsyncClient(broker.uri(), "bench-bare-" + run, new MemoryPersistence());
            client.setCallback(this);
        }

        @Override
        public void start() throws Exception {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setReceiveMaximum(receiveMaximum);
            client.connect(o).waitForCompletion(10_000);
            client.subscribe(new MqttSubscription(FILTER, qos)).waitForCompletion(10_000);
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            counter.message(topic);
        }

        @Override
        public void close() {
            closeClient(client);
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            System.out.println("  bare subscriber disconnected: " + r);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            System.out.println("  bare subscriber error: " + e);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    /** The adapter outside a server: a static activation on the same filter with a counting endpoint. */
    private final class AdapterSubscriber implements Subscriber {
        private final MqttActivationSpec spec = new MqttActivationSpec();
        private final CountingEndpoints endpoints;
        private AdapterHarness harness;

        AdapterSubscriber(int run, int qos, Counter counter) {
            spec.setServerUri(broker.uri());
            spec.setClientId("bench-ra-" + run);
            spec.setTopicFilters(FILTER);
            spec.setQos(qos);
            spec.setDeliveryLanes(lanes);
            spec.setReceiveMaximum(receiveMaximum);
            spec.setSessionExpirySeconds(0L); // nothing queued for it after the run
            spec.setReconnectIntervalSeconds(1);
            endpoints = new CountingEndpoints(counter, proxyEndpoint);
        }

        @Override
        public void start() throws Exception {
            harness = new AdapterHarness();
            spec.setResourceAdapter(harness.adapter());
            harness.adapter().endpointActivation(endpoints, spec);
        }

        @Override
        public String notes() {
            // Same spec: the registry hands back the activation's session (and we release our use at once).
            BrokerSession session = harness.adapter().sessions().acquire(spec.brokerSpec());
            try {
                SessionStatus s = session.status();
                return s.dropped() + s.undeliverable() + s.reconnects() == 0 ? ""
                        : "; adapter dropped " + s.dropped() + ", undeliverable " + s.undeliverable()
                        + ", reconnects " + s.reconnects();
            } finally {
                harness.adapter().sessions().release(session);
            }
        }

        @Override
        public void close() {
            if (harness != null) {
                harness.adapter().endpointDeactivation(endpoints, spec);
                harness.close();
            }
        }
    }

    /** Endpoints that count; {@code proxy}: a reflective proxy like a container's, else a plain object. */
    private static final class CountingEndpoints implements MessageEndpointFactory {
        private final Counter counter;
        private final boolean proxy;

        CountingEndpoints(Counter counter, boolean proxy) {
            this.counter = counter;
            this.proxy = proxy;
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
            if (!proxy) {
                return new Endpoint(counter);
            }
            Endpoint target = new Endpoint(counter);
            return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {MessageEndpoint.class, MqttMessageListener.class},
                    (p, method, args) -> switch (method.getName()) {
                        case "onMessage" -> {
                            target.onMessage((MqttMessage) args[0]);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        case "toString" -> "bench endpoint";
                        default -> null;
                    });
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
            return createEndpoint(xaResource);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return false;
        }

        @Override
        public String getActivationName() {
            return "bench-endpoint";
        }

        @Override
        public Class<?> getEndpointClass() {
            return MqttMessageListener.class;
        }
    }

    private static final class Endpoint implements MessageEndpoint, MqttMessageListener {
        private final Counter counter;

        Endpoint(Counter counter) {
            this.counter = counter;
        }

        @Override
        public void onMessage(MqttMessage message) {
            counter.message(message.topic());
        }

        @Override
        public void beforeDelivery(Method method) {
        }

        @Override
        public void afterDelivery() {
        }

        @Override
        public void release() {
        }
    }

    /** One Paho publisher with a bound on its own unfinished publishes (QoS 0: not yet written; QoS 1: no PUBACK). */
    private final class Publisher implements AutoCloseable {
        private static final int MAX_INFLIGHT = 32202; // MqttClientException.REASON_CODE_MAX_INFLIGHT
        private final MqttAsyncClient client;
        private final int qos;
        private final Semaphore inflight;
        private final int permits;
        private final MqttActionListener done;

        Publisher(String clientId, int qos) throws MqttException {
            this.qos = qos;
            this.client = new MqttAsyncClient(broker.uri(), clientId, new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            client.connect(o).waitForCompletion(10_000);
            // QoS 1: 1000 unacknowledged publishes each (mosquitto here sets no receive maximum of its own).
            permits = qos == 0 ? 5000 : 1000;
            inflight = new Semaphore(permits);
            done = new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inflight.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    inflight.release();
                }
            };
        }

        void publish(String topic, byte[] payload, long deadline) throws Exception {
            if (!inflight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("publish window did not open before the deadline");
            }
            org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(payload);
            m.setQos(qos);
            while (true) {
                try {
                    client.publish(topic, m, null, done);
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MAX_INFLIGHT || System.nanoTime() > deadline) {
                        inflight.release();
                        throw e;
                    }
                    LockSupport.parkNanos(100_000); // "too many publishes in progress": wait for acks
                }
            }
        }

        /** Waits until every publish of this publisher is complete (written, or acknowledged for QoS 1). */
        void awaitAcks(long deadline) throws InterruptedException {
            if (!inflight.tryAcquire(permits, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("publishes not acknowledged before the deadline");
            }
            inflight.release(permits);
        }

        @Override
        public void close() {
            closeClient(client);
        }
    }

    private static void closeClient(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(1000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing more to do
        }
    }

    /** System properties {@code bench.*}, overridden by {@code key=value} arguments. */
    private static final class Settings {
        private final String[] args;

        Settings(String[] args) {
            this.args = args;
        }

        String text(String key, String fallback) {
            for (String a : args) {
                if (a.startsWith(key + "=")) {
                    return a.substring(key.length() + 1);
                }
            }
            String v = System.getProperty("bench." + key);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String key, int fallback) {
            return Integer.parseInt(text(key, String.valueOf(fallback)).replace("_", ""));
        }
    }
}
