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

    void report(DpConfig dp, ValueState st, String value) {
        long now = System.nanoTime();
        ReportPort out = port;
        for (BindingConfig b : config.bindingsOf(dp.id())) {
            if (!b.hasReportTopic()) {
                continue;
            }
            EchoPolicy echo = config.echoPolicy(b.brokerId());
            if (!echo.confirm() && st.isEcho(b.brokerId(), value, echo.windowNanos(), now)) {
                continue; // seed style: the value came from this broker moments ago
            }
            if (echo.confirm() && echo.windowNanos() > 0 && config.commandsFrom(dp.id(), b.brokerId())) {
                st.reportedTo(b.brokerId(), value, now); // before it goes: an echo can be quicker than our return
            }
            byte[] payload = b.format() == PayloadFormat.STATE
                    ? PayloadCodec.encodeState(value, dp.type(), dp.unit(), st.time(), PayloadCodec.GOOD)
                    : PayloadCodec.encode(value, dp.type(), b.format(), b.pointer());
            Publication p = new Publication(b.reportTopic(), payload, b.qos(), b.retained(), mark);
            Optional<String> why = out.publish(b.brokerId(), p);
            if (why.isEmpty()) {
                reports.increment();
            } else {
                refused.increment();
                st.reportRefused(why.get() + " (report on " + b.reportTopic() + ")");
            }
        }
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
