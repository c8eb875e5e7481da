package org.bmsmqtt.bms.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.broker.BrokerSessionClosed;
import org.bmsmqtt.bms.broker.BrokerSessionOpened;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import javax.management.ObjectName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Follows the broker sessions the registry opens and closes: per session an MBean
 * ({@code org.bmsmqtt:type=BrokerSession,name=<broker>}), gauges tagged {@code broker=<name>}, and a readiness check
 * {@code broker:<name>}; all removed again when the session closes. Every figure is read from the session's own
 * counters when asked: nothing is added to the message path.
 */
@ApplicationScoped
public class SessionMonitor {

    /** A per-broker gauge: its name, what it means, and how it reads the session's status. */
    private record BrokerGauge(String name, String description, Function<SessionStatus, Number> value) {
    }

    static final List<BrokerGauge> GAUGES = List.of(
            new BrokerGauge("bms.broker.messages.received", "Messages received from the broker since the session opened",
                    SessionStatus::received),
            new BrokerGauge("bms.broker.messages.published", "Messages handed to the broker since the session opened",
                    SessionStatus::published),
            new BrokerGauge("bms.broker.messages.buffered", "Publications waiting for the broker now",
                    SessionStatus::buffered),
            new BrokerGauge("bms.broker.messages.refused", "Publications refused: the publish queue stayed full, or the "
                    + "client gave them up", SessionStatus::refused),
            new BrokerGauge("bms.broker.messages.dropped", "QoS 0 messages dropped because the endpoints fell behind",
                    SessionStatus::dropped),
            new BrokerGauge("bms.broker.messages.undeliverable", "Messages given up after every delivery attempt failed",
                    SessionStatus::undeliverable),
            new BrokerGauge("bms.broker.reconnects", "Successful connects after the first since the session opened",
                    SessionStatus::reconnects),
            new BrokerGauge("bms.broker.connected", "1 while the session is connected, else 0",
                    s -> s.state() == SessionState.CONNECTED ? 1 : 0));

    /** What was registered for one open session, to remove exactly that. */
    private record Registered(String name, ObjectName mbean, Tag tag, String healthKey) {
    }

    @Inject
    MetricRegistry metrics;

    private final Map<Long, Registered> open = new ConcurrentHashMap<>();
    private Optional<PayaraHealthChecks> health = Optional.empty();

    @PostConstruct
    void start() {
        health = PayaraHealthChecks.find();
    }

    synchronized void opened(@Observes BrokerSessionOpened s) {
        closed(new BrokerSessionClosed(s.brokerId(), s.name())); // a re-open without a close: start clean
        Supplier<SessionStatus> status = s.status();
        Registered r = new Registered(s.name(), Jmx.name("BrokerSession", s.name()), new Tag("broker", s.name()),
                "org.bmsmqtt.broker." + s.brokerId());
        Jmx.register(r.mbean(), new BrokerSessionView(s.brokerId(), s.name(), status));
        for (BrokerGauge g : GAUGES) {
            metrics.gauge(Metadata.builder().withName(g.name()).withDescription(g.description()).build(),
                    status, st -> g.value().apply(st.get()), r.tag());
        }
        health.ifPresent(h -> h.add(r.healthKey(), new BrokerCheck(s.brokerId(), s.name(), status)));
        open.put(s.brokerId(), r);
    }

    synchronized void closed(@Observes BrokerSessionClosed s) {
        Registered r = open.remove(s.brokerId());
        if (r == null) {
            return;
        }
        Jmx.unregister(r.mbean());
        for (BrokerGauge g : GAUGES) {
            metrics.remove(new MetricID(g.name(), r.tag()));
        }
        health.ifPresent(h -> h.remove(r.healthKey()));
    }

    /** The application stops: nothing of it may stay in the server's MBean server or health registry. */
    @PreDestroy
    synchronized void stop() {
        for (Long id : Set.copyOf(open.keySet())) {
            closed(new BrokerSessionClosed(id, open.get(id).name()));
        }
    }
}
