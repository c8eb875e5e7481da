package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.datapoint.EngineConfig.BindingConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.EchoPolicy;
import org.bmsmqtt.bms.shared.ReportPort;
import org.bmsmqtt.ra.api.Publication;

import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A datapoint's value out to its report topics, and the anti-echo rule both ways.
 * <p>
 * A command from a broker is confirmed on the binding's report topic on that broker too (the state-topic convention).
 * Loops are stopped twice: our publications carry our origin mark (an MQTT 5 path hands it back and the engine ignores
 * the message), and each report to a broker the datapoint takes commands from is remembered for the broker's window:
 * a command repeating that value within it, before another arrival matched it, is the report coming back through a
 * path that lost the mark (an MQTT 3.1.1 bridge or client) and is dropped and counted. A broker that keeps the seed
 * products' rule ({@code confirmCommands} false) instead never gets back a value that came from it within the window.
 */
final class ReportFanOut {

    private final EngineConfig config;
    /** Our origin mark, taken once: the Origin bean is a CDI proxy, and its value never changes while we run. */
    private final java.util.Map<String, String> mark;
    private volatile ReportPort port = ReportPort.NONE; // the broker registry attaches itself at its start
    private final LongAdder reports = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder refused = new LongAdder();

    ReportFanOut(EngineConfig config, Origin origin) {
        this.config = config;
        this.mark = origin.mark();
    }

    void attach(ReportPort reportPort) {
        port = reportPort == null ? ReportPort.NONE : reportPort;
    }

    /** Whether a command from {@code brokerId} is the echo of our own report (dropped, counted); notes the arrival. */
    boolean isEcho(ValueState st, long brokerId, String value) {
        EchoPolicy echo = config.echoPolicy(brokerId);
        long now = System.nanoTime();
        if (!echo.confirm()) {
            st.arrivedFrom(brokerId, value, now); // not reported back to this broker within the window
            return false;
        }
        if (st.takeEcho(brokerId, value, echo.windowNanos(), now)) {
            echoes.increment();
            return true;
        }
        return false;
    }

    /** The value on the report topics of the datapoint's bindings, except on the brokers {@code skip} names. */
    void report(DpConfig dp, ValueState st, String value, java.util.function.LongPredicate skip) {
        long now = System.nanoTime();
        ReportPort out = port;
        for (BindingConfig b : config.bindingsOf(dp.id())) {
            if (!b.hasReportTopic() || skip.test(b.brokerId())) {
                continue;
            }
            EchoPolicy echo = config.echoPolicy(b.brokerId());
            if (!echo.confirm() && st.isEcho(b.brokerId(), value, echo.windowNanos(), now)) {
                continue; // seed style: the value came from this broker moments ago
            }
            publishReport(out, dp, st, b, value, now);
        }
    }

    private void publishReport(ReportPort out, DpConfig dp, ValueState st, BindingConfig b, String value, long now) {
        EchoPolicy echo = config.echoPolicy(b.brokerId());
        if (echo.confirm() && echo.windowNanos() > 0 && config.commandsFrom(dp.id(), b.brokerId())) {
            st.reportedTo(b.brokerId(), value, now); // before it goes: an echo can be quicker than our return
        }
        byte[] payload = b.format() == PayloadFormat.STATE
                ? PayloadCodec.encodeState(value, dp.type(), dp.unit(), st.time(), st.quality())
                : PayloadCodec.encode(value, dp.type(), b.format(), b.pointer());
        send(out, st, b.brokerId(), new Publication(b.reportTopic(), payload, b.qos(), b.retained(), mark));
    }

    private void send(ReportPort out, ValueState st, long brokerId, Publication p) {
        Optional<String> why = out.publish(brokerId, p);
        if (why.isEmpty()) {
            reports.increment();
        } else {
            refused.increment();
            st.reportRefused(why.get() + " (report on " + p.topic() + ")");
        }
    }

    /**
     * The datapoint's field-bus source became reachable or not, or it got its first or lost its last one: its
     * availability topics say so, and its STATE reports go again with the new quality. Before the broker sessions
     * are open nothing goes: each session publishes every availability when it opens ({@link #availabilityOf}).
     */
    void sourceChanged(DpConfig dp, ValueState st) {
        ReportPort out = port;
        if (out == ReportPort.NONE) {
            return;
        }
        String value = st.snapshot().value();
        long now = System.nanoTime();
        for (BindingConfig b : config.bindingsOf(dp.id())) {
            if (!b.hasReportTopic()) {
                continue;
            }
            availability(st, b).ifPresent(p -> send(out, st, b.brokerId(), p));
            if (b.format() == PayloadFormat.STATE && value != null && dp.mode().reports()) {
                publishReport(out, dp, st, b, value, now);
            }
        }
    }

    /**
     * Every availability message of datapoints with a field-bus source bound on the broker: what its session
     * publishes when it opens (retained messages may have gone with a broker that keeps nothing).
     */
    java.util.List<Publication> availabilityOf(long brokerId, java.util.Map<Long, ValueState> states) {
        java.util.List<Publication> all = new java.util.ArrayList<>();
        states.forEach((id, st) -> {
            if (st.hasSources()) {
                for (BindingConfig b : config.bindingsOf(id)) {
                    if (b.brokerId() == brokerId && b.hasReportTopic()) {
                        availability(st, b).ifPresent(all::add);
                    }
                }
            }
        });
        return all;
    }

    /**
     * {@code <report topic>/availability}: the broker's online payload while the datapoint's sources are reachable,
     * its offline payload while one is not, an empty retained message (clears it) once the datapoint has no field-bus
     * source left; nothing where the broker's availability is off.
     */
    private Optional<Publication> availability(ValueState st, BindingConfig b) {
        org.bmsmqtt.ra.api.Availability a = config.availability(b.brokerId());
        if (!a.enabled()) {
            return Optional.empty();
        }
        String payload = !st.hasSources() ? "" : ValueState.GOOD.equals(st.quality()) ? a.online() : a.offline();
        return Optional.of(new Publication(BindingSettings.availabilityTopic(b.reportTopic()),
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, true, mark));
    }

    long reports() {
        return reports.sum();
    }

    long echoes() {
        return echoes.sum();
    }

    long refused() {
        return refused.sum();
    }
}
