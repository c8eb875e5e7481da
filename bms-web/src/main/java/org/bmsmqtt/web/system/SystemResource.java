package org.bmsmqtt.web.system;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.bms.broker.BrokerService;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.history.HistoryWriter;

import java.util.List;

/**
 * What an operator checks first: engine counters, the write-behind queue (depth, refused values, whether the database is failing) and
 * the state of every broker. (The same figures for machines: /health, /metrics and the MBeans of bms-ejb's monitoring package.)
 */
@RequestScoped
@Path("system/status")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    @Inject
    HistoryWriter history;
    @Inject
    DatapointEngine engine;
    @Inject
    BrokerService brokers;
    @Inject
    BrokerRegistry registry;

    /** One broker's name and session state ("DISABLED" when it has no session). */
    public record BrokerState(long id, String name, String state, String reason) {
    }

    /** Engine counters, the write-behind queue and the brokers. */
    public record Status(DatapointEngine.Counters engine, HistoryWriter.Status history, List<BrokerState> brokers) {
    }

    /**
     * Answers while the database is away too (that is when it matters): with the write-behind failing, or the broker
     * table unreadable, the brokers come from the registry's memory (open sessions only; disabled brokers are left out).
     */
    @GET
    public Status status() {
        HistoryWriter.Status queue = history.status();
        if (!queue.degraded()) {
            try {
                List<BrokerState> states = brokers.list().stream().map(b -> registry.status(b.getId())
                        .map(s -> new BrokerState(b.getId(), b.getName(), s.state().name(), s.reason()))
                        .orElse(new BrokerState(b.getId(), b.getName(), "DISABLED", ""))).toList();
                return new Status(engine.counters(), queue, states);
            } catch (RuntimeException e) {
                // the database failed just now: the brokers from memory, below
            }
        }
        List<BrokerState> open = registry.openBrokers().entrySet().stream().map(e -> registry.status(e.getKey())
                .map(s -> new BrokerState(e.getKey(), e.getValue(), s.state().name(), s.reason()))
                .orElse(new BrokerState(e.getKey(), e.getValue(), "DISABLED", ""))).toList();
        return new Status(engine.counters(), queue, open);
    }
}
