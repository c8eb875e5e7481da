package org.bmsmqtt.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import org.bmsmqtt.ra.session.BrokerSession;
import org.bmsmqtt.ra.session.SessionRegistry;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * One static-mode endpoint activation: its own broker session and subscriptions. Starting never waits for the
 * broker: the session connects (and keeps retrying) in the background and subscribes once connected.
 */
public final class InboundActivation {

    private static final Logger LOG = Logger.getLogger(InboundActivation.class.getName());
    static final int LANE_CAPACITY = 10_000;

    private final MqttActivationSpec spec;
    private final SessionRegistry sessions;
    private final DeliveryLanes lanes;
    private BrokerSession session;

    public InboundActivation(MessageEndpointFactory factory, MqttActivationSpec spec, SessionRegistry sessions,
                             jakarta.resource.spi.work.WorkManager workManager, ScheduledExecutorService scheduler) {
        this.spec = spec;
        this.sessions = sessions;
        this.lanes = new DeliveryLanes(workManager, () -> Optional.of(factory), scheduler,
                spec.getDeliveryLanes(), LANE_CAPACITY);
    }

    public void start() {
        session = sessions.acquire(spec.brokerSpec());
        for (String filter : spec.topicFilterList()) {
            session.subscribe(filter, spec.getQos(), lanes);
        }
        LOG.info("MQTTRA0007 endpoint activated on broker " + session.spec().name() + " for " + spec.topicFilterList());
    }

    public void stop() {
        if (session != null) {
            spec.topicFilterList().forEach(session::unsubscribe);
            sessions.release(session);
            session = null;
        }
        lanes.stop();
    }
}
