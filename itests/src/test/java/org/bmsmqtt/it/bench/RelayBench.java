package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.bench.BmsBenchmark.Target;
import org.bmsmqtt.it.support.Http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The relay path of {@link BmsBenchmark} as a user sees it: a command published to {@code bench/rQ/i/set}, the
 * datapoint {@code rQ-<broker>-i} (INTEGER, ONE binding with command and report topic on the same broker and qos Q),
 * and the report the BMS publishes to {@code bench/rQ/i/state} on that same broker; QoS Q end to end (command
 * published with Q, watcher subscribed with Q; the BMS subscribes to command topics with QoS 1). The baseline is a
 * trivial Paho relay client in a JVM of its own ({@link TrivialRelay}: TCP_NODELAY, subscribes {@code base/rQ/+/set}
 * with Q, republishes each message to {@code .../state} with Q) on the same broker, measured in the same run with
 * the same kind of publisher and watcher.
 * <p>
 * Two measures per broker and QoS, for both sides: latency at a fixed rate (p50, p99, received of sent), and the
 * highest sustained rate: steps of a few seconds at rising rates, the first step that loses a message, has p99 above
 * 100 ms or leaves the publisher behind its schedule (on a second try too) ends the ladder; halvings between the last
 * passing and that failing rate refine it, and the last passing rate is the result. The two sides take turns (both
 * connected at once; latency in alternating rounds, each rate on both sides before the next), so that both see the
 * same machine.
 * Payloads are sequence numbers never reused in the run and matched exactly, so a late or duplicate message never
 * pairs with another's send time. The publisher paces itself by parking (no spinning) and at QoS 1
 * waits on Paho's in-flight window; every send and every wait has a time limit.
 */
final class RelayBench {

    static final int POINTS = 100;
    static final int RATE = Integer.getInteger("bench.relayRate", 1000);
    /**
     * Seconds per side at RATE, in LATENCY_ROUNDS alternating rounds. The p99 of a 5 s round is set by one or two
     * stalls of the machine: over six round pairs of one run the two sides' p99 were 6.16 / 8.37, 5.61 / 5.62,
     * 3.56 / 3.40, 2.94 / 4.10, 3.76 / 3.47 and 3.03 / 3.30 ms (trivial / BMS): with two rounds a side the ratio was
     * mostly a draw of which side met the stalls. Four rounds of 5 s a side pool twice the stalls and samples.
     */
    static final int SECONDS = Integer.getInteger("bench.relaySeconds", 20);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.relayWarmupSeconds", 2);
    /**
     * Before that: this many seconds at 4 x RATE per side and row, so that the JIT compilers are done before anything
     * is measured. With 2 s at RATE alone, the BMS's C2 threads still took 5 % CPU through a following 30 s round at
     * 1,000 msg/s (the first row; its p99 17.6 ms, 5.2 ms in the next row). The trivial relay's fresh JVM gets the
     * same.
     */
    static final int JIT_WARMUP_SECONDS = Integer.getInteger("bench.relayJitWarmupSeconds", 5);
    /**
     * After the JIT warm-up, warm-up rounds of WARMUP_SECONDS at RATE per side are repeated (SETTLE_MAX at most) until
     * both relays' JIT compiler threads used at most SETTLED of a core during one: the steady state a relay reaches
     * after minutes of service. With one round, the BMS's C2 threads still compiled through the first row's latency
     * rounds (5-24 % of a core per 2 s, from /proc), and that row's BMS p99 was 1.3-2x the later rows'.
     */
    static final int SETTLE_MAX = Math.max(1, Integer.getInteger("bench.relaySettleRounds", 8));
    static final double SETTLED = 0.01;

    /** Alternating latency rounds per side (SECONDS in all per side). */
    static final int LATENCY_ROUNDS = Math.max(1, Integer.getInteger("bench.relayRounds", 4));
    static final int STEP_SECONDS = Integer.getInteger("bench.relayStepSeconds", 2);
    /** Tries of a failing step before the search ends: the second absorbs a one-off hiccup (GC, another process). */
    static final int STEP_TRIES = Math.max(1, Integer.getInteger("bench.relayStepTries", 2));
    /** The bound of the search's rates (a step keeps rate x STEP_SECONDS send times and latencies in memory). */
    static final int MAX_RATE = 100_000;
    static final int[] RATES = Arrays.stream(System.getProperty("bench.relayRates",
            "2000,4000,8000,12000,16000,24000,32000,48000").split(",")).map(String::trim)
            .mapToInt(Integer::parseInt).filter(r -> r > 0 && r <= MAX_RATE).sorted().distinct().toArray();
    /** Halvings between the last passing and the first failing rate of the ladder. */
    static final int BISECT = Math.max(0, Integer.getInteger("bench.relayBisect", 3));
    static final double MAX_P99_MS = 100;
    /** How far behind its schedule the publisher may end a step (share of the step's duration). */
    static final double MAX_BEHIND = 0.05;
    static final long DRAIN_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long DRAIN_MAX_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Http api;
    /** The server's process id, and its CPU seconds so far (from /proc). */
    private final java.util.function.LongSupplier serverPid;
    private final java.util.function.DoubleSupplier serverCpu;
    private final List<Row> rows = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    RelayBench(Http api, java.util.function.LongSupplier serverPid) {
        this.api = api;
        this.serverPid = serverPid;
        this.serverCpu = () -> {
            try {
                return StartupBenchmark.cpuSeconds(serverPid.getAsLong());
            } catch (java.io.IOException e) {
                return Double.NaN;
            }
        };
    }

    static int datapointCount(List<Target> targets) {
        return targets.size() * 2 * POINTS;
    }

    /** Hands {@code submit} one task per relay datapoint: the datapoint and its one binding. */
    static void setUp(Http api, List<Target> targets, Consumer<Runnable> submit) {
        for (Target t : targets) {
            for (int qos = 0; qos <= 1; qos++) {
                for (int i = 0; i < POINTS; i++) {
                    String name = "r" + qos + "-" + t.label() + "-" + i;
                    String binding = "{\"brokerId\": " + t.brokerId() + ", \"commandTopic\": \"bench/r" + qos + "/" + i
                            + "/set\", \"reportTopic\": \"bench/r" + qos + "/" + i + "/state\", \"qos\": " + qos + "}";
                    submit.accept(() -> BmsBenchmark.datapoint(api, name, "INTEGER", false, binding));
                }
            }
        }
    }

    /** p50 / p99 in ms over what arrived; arrived, sent, due (scheduled); how far behind schedule the sending ended. */
    record Result(double p50, double p99, long received, long sent, long due, double behindMs, double seconds,
                  double cpuSeconds) {
        long lost() {
            return sent - received;
        }

        /** The relaying side's CPU per message that came back, in microseconds. */
        double cpuMicros() {
            return received == 0 ? Double.NaN : cpuSeconds * 1e6 / received;
        }

        boolean sustained() {
            return received == due && p99 <= MAX_P99_MS && behindMs <= MAX_BEHIND * seconds * 1000;
        }

        String failure() {
            StringBuilder b = new StringBuilder();
            if (sent < due) {
                b.append(String.format(", publisher held back: sent %,d of %,d", sent, due));
            }
            if (lost() > 0) {
                b.append(String.format(", lost %,d of %,d", lost(), sent));
            }
            if (!(p99 <= MAX_P99_MS)) {
                b.append(received == 0 ? ", nothing came back" : String.format(", p99 %.1f ms", p99));
            }
            if (behindMs > MAX_BEHIND * seconds * 1000) {
                b.append(String.format(", publisher %.0f ms behind", behindMs));
            }
            return b.length() == 0 ? "" : b.substring(2);
        }

        String text() {
            return String.format("p50 %5s ms  p99 %6s ms  %,6d of %,6d  lost %,d", ms(p50), ms(p99), received, sent, lost());
        }

        String cpuText() {
            return Double.isNaN(cpuMicros()) ? "CPU -" : String.format("CPU %.0f us/msg", cpuMicros());
        }
    }

    /** {@code common}: the highest rate both sides sustained, with each side's CPU per message at it. */
    private record Row(String label, Result base, Result bms, Max baseMax, Max bmsMax, int common, double baseCpu,
                       double bmsCpu) {
    }

    /** The search's outcome: the last passing rate (0: none passed) and why the next step failed. */
    record Max(int rate, String stop) {
    }

    /**
     * Both sides for one broker and QoS, INTERLEAVED so that both see the same machine: both sides are connected at
     * once; the latency at RATE is measured in LATENCY_ROUNDS alternating rounds per side (trivial relay, BMS,
     * trivial relay, ...) and pooled; the sustained search takes each rate on both sides before the next. (Measured
     * one side after the other, a neighbour's burst of a minute decided which side looked faster.) Puts the two rows.
     */
    void run(Target t, int qos) throws Exception {
        String label = t.label() + " QoS " + qos;
        String uri = t.broker().uri();
        System.out.println("== relay " + label + " (" + t.broker().uri() + "): command -> report on the same broker, "
                + POINTS + " topics, trivial relay and BMS interleaved");
        try (TrivialRelay trivial = TrivialRelay.start(uri, "base/r" + qos + "/", qos);
             RelaySide base = new RelaySide(uri, "trivial Paho relay", "base/r" + qos + "/", qos, trivial,
                     trivial::cpuSeconds, sequence);
             RelaySide bms = new RelaySide(uri, "BMS", "bench/r" + qos + "/", qos, null, serverCpu, sequence)) {
            if (JIT_WARMUP_SECONDS > 0) {
                base.measure(4 * RATE, 4 * RATE * JIT_WARMUP_SECONDS, "warm-up (JIT)");
                bms.measure(4 * RATE, 4 * RATE * JIT_WARMUP_SECONDS, "warm-up (JIT)");
            }
            long[] pids = {trivial.pid(), serverPid.getAsLong()};
            RelaySide[] sides = {base, bms};
            for (int k = 1; k <= SETTLE_MAX; k++) { // until both relays' JIT compilers are idle (bounded)
                double[] jit = new double[2];
                for (int i = 0; i < 2; i++) {
                    var c0 = StartupBenchmark.compilerTicks(pids[i]);
                    Result w = sides[i].measure(RATE, RATE * WARMUP_SECONDS, "warm-up " + k);
                    jit[i] = StartupBenchmark.compilerSeconds(c0, StartupBenchmark.compilerTicks(pids[i]));
                    if (i == 1 && k == 1 && w.received() == 0) {
                        System.out.println(String.format("   BMS: received 0 of %,d: no report came back on the broker "
                                + "the commands came from (the BMS does not confirm a command on its own broker)",
                                w.sent()));
                    }
                }
                boolean settled = jit[0] <= SETTLED * WARMUP_SECONDS && jit[1] <= SETTLED * WARMUP_SECONDS;
                System.out.println(String.format("   JIT compiler threads in that warm-up: trivial relay %.0f ms, BMS "
                        + "%.0f ms%s", jit[0] * 1000, jit[1] * 1000, settled ? ": settled" : ""));
                if (settled) {
                    break;
                }
            }
            Pool basePool = new Pool();
            Pool bmsPool = new Pool();
            int perRound = RATE * SECONDS / LATENCY_ROUNDS;
            for (int k = 1; k <= LATENCY_ROUNDS; k++) {
                String what = String.format("%,d msg/s round %d of %d", RATE, k, LATENCY_ROUNDS);
                basePool.add(base.measure(RATE, perRound, what), base.lastLatencies());
                bmsPool.add(bms.measure(RATE, perRound, what), bms.lastLatencies());
            }
            Search baseSearch = new Search(base, false);
            Search bmsSearch = new Search(bms, true);
            search(baseSearch, bmsSearch);
            int common = baseSearch.cpuAt.keySet().stream().filter(bmsSearch.cpuAt::containsKey)
                    .mapToInt(Integer::intValue).max().orElse(0); // the highest rate both sides passed a step at
            rows.add(new Row(label, basePool.result(), bmsPool.result(), baseSearch.max(), bmsSearch.max(), common,
                    baseSearch.cpuAt.getOrDefault(common, Double.NaN), bmsSearch.cpuAt.getOrDefault(common, Double.NaN)));
        }
        BmsBenchmark.counts(api, t.brokerId());
        quiesce();
    }

    /** Latency rounds of one side pooled into one result. */
    private static final class Pool {
        private long[] latencies = new long[0];
        private long received;
        private long sent;
        private long due;
        private double behindMs;
        private double seconds;
        private double cpuSeconds;

        void add(Result r, long[] sorted) {
            long[] all = Arrays.copyOf(latencies, latencies.length + sorted.length);
            System.arraycopy(sorted, 0, all, latencies.length, sorted.length);
            Arrays.sort(all);
            latencies = all;
            received += r.received();
            sent += r.sent();
            due += r.due();
            behindMs = Math.max(behindMs, r.behindMs());
            seconds += r.seconds();
            cpuSeconds += r.cpuSeconds();
        }

        Result result() {
            int k = latencies.length;
            return new Result(k == 0 ? Double.NaN : latencies[k / 2] / 1e6,
                    k == 0 ? Double.NaN : latencies[Math.min(k - 1, k * 99 / 100)] / 1e6, received, sent, due,
                    behindMs, seconds, cpuSeconds);
        }
    }

    /** The two tables: latency at RATE, and the sustained rate; one row per broker and QoS, baseline and BMS. */
    void print() {
        if (rows.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println(String.format("relay at %,d msg/s for %d s: command -> report on the same broker (ms; received of sent)",
                RATE, SECONDS));
        System.out.println(String.format("%-12s | %-55s | %-55s | %s", "", "trivial Paho relay", "BMS", "BMS/baseline"));
        for (Row r : rows) {
            System.out.println(String.format("%-12s | %-55s | %-55s | p50 %s p99 %s%s", r.label(), r.base().text(),
                    r.bms().text(), ratio(r.bms().p50(), r.base().p50()), ratio(r.bms().p99(), r.base().p99()),
                    r.bms().received() == 0 ? "  (BMS: nothing came back on the same broker)" : ""));
        }
        System.out.println(String.format("relay sustained: highest rate with nothing lost, p99 <= %.0f ms and the "
                + "publisher on schedule (%d s steps at %s msg/s, then %d halvings between the last passing and the "
                + "first failing rate; a failing step tried %d times; in brackets: the lowest failing rate and why)",
                MAX_P99_MS, STEP_SECONDS, Arrays.toString(RATES), BISECT, STEP_TRIES));
        System.out.println(String.format("%-12s | %-55s | %-55s | %s", "", "trivial Paho relay", "BMS", "BMS/baseline"));
        for (Row r : rows) {
            System.out.println(String.format("%-12s | %-55s | %-55s | %s", r.label(),
                    String.format("%,6d msg/s (%s)", r.baseMax().rate(), r.baseMax().stop()),
                    String.format("%,6d msg/s (%s)", r.bmsMax().rate(), r.bmsMax().stop()),
                    ratio(r.bmsMax().rate(), r.baseMax().rate())));
        }
        System.out.println("relay CPU per relayed message (us): each relay's whole process (the BMS's, the trivial "
                + "relay's); less noisy than the rates above, as it does not depend on what else runs");
        System.out.println(String.format("%-12s | %-27s | %-27s | %-40s", "", String.format("at %,d msg/s", RATE),
                "BMS/baseline", "at the highest rate both sustained"));
        for (Row r : rows) {
            System.out.println(String.format("%-12s | %-27s | %-27s | %s", r.label(),
                    String.format("%s / %s", micros(r.base().cpuMicros()), micros(r.bms().cpuMicros())),
                    ratio(r.bms().cpuMicros(), r.base().cpuMicros()),
                    r.common() == 0 ? "-" : String.format("%,d msg/s: %s / %s = %s", r.common(), micros(r.baseCpu()),
                            micros(r.bmsCpu()), ratio(r.bmsCpu(), r.baseCpu()))));
        }
    }

    private static String micros(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }

    /** One side's search for its sustained rate: the ladder, then halvings. */
    private final class Search {
        final RelaySide side;
        /** The BMS side: a failed step leaves commands queued in the server, taken before the other side's step. */
        final boolean server;
        int best;
        /** CPU per message (us) of each passing step, by rate. */
        final java.util.Map<Integer, Double> cpuAt = new java.util.HashMap<>();
        int failing = Integer.MAX_VALUE;
        int halvings;
        String stop;

        Search(RelaySide side, boolean server) {
            this.side = side;
            this.server = server;
        }

        /** The next rate to try, or 0 when this side's search is over. */
        int next(int ladderRate) {
            if (failing == Integer.MAX_VALUE) {
                return ladderRate;
            }
            int mid = (best + failing) / 2 / 100 * 100;
            return halvings < BISECT && mid > best && mid < failing ? mid : 0;
        }

        void take(int rate, Result r) {
            if (failing != Integer.MAX_VALUE) {
                halvings++;
            }
            if (r.sustained()) {
                best = rate;
                cpuAt.put(rate, r.cpuMicros());
            } else {
                failing = rate;
                stop = String.format("%,d: %s", rate, r.failure());
            }
        }

        Max max() {
            return new Max(best, stop != null ? stop : String.format("none failed up to %,d", best));
        }
    }

    /**
     * Steps at RATES (each STEP_SECONDS, a failing one tried STEP_TRIES times) until one fails, then BISECT halvings
     * between the last passing and the first failing rate, so that two sides a ladder step apart are told apart more
     * finely than the ladder (2,000 -> 4,000 alone says 0.5x or 1.0x). The sides take turns, step by step: bounded in
     * count (ladder plus halvings, per side).
     */
    private void search(Search... sides) throws Exception {
        int ladder = 0;
        while (true) {
            int ladderRate = ladder < RATES.length ? RATES[ladder] : 0;
            boolean any = false;
            for (Search s : sides) {
                int rate = s.next(ladderRate);
                if (rate > 0) {
                    any = true;
                    Result r = step(s.side, rate);
                    s.take(rate, r);
                    if (s.server && !r.sustained()) {
                        quiesce();
                    }
                }
            }
            ladder++;
            if (!any) {
                return;
            }
        }
    }

    /** One rate, a failing try repeated up to STEP_TRIES times; half a second of rest after it. */
    private Result step(RelaySide s, int rate) throws Exception {
        Result r = null;
        for (int k = 1; k <= STEP_TRIES && (r == null || !r.sustained()); k++) {
            if (r != null) {
                Thread.sleep(1000); // the failed try's backlog
            }
            r = s.measure(rate, rate * STEP_SECONDS, String.format("step %,d msg/s %d s%s", rate, STEP_SECONDS,
                    k > 1 ? " #" + k : ""));
        }
        Thread.sleep(500);
        return r;
    }

    /** Until the BMS has taken what a failed step left queued: accepted unchanged for 1 s (30 s at most). */
    private void quiesce() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = BmsBenchmark.counter(api, "engine", "accepted");
        long since = System.nanoTime();
        while (System.nanoTime() < end && System.nanoTime() - since < TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(200);
            long now = BmsBenchmark.counter(api, "engine", "accepted");
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format("%.2fx", a / b);
    }
}
