package org.bmsmqtt.bms.datapoint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import org.bmsmqtt.bms.broker.ConfiguredBroker;
import org.bmsmqtt.bms.broker.TopicScheme;
import org.bmsmqtt.ra.api.Publication;

import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/** Publishes each committed value change on the datapoint's report topic, marked with our origin. */
@ApplicationScoped
public class ReportPublisher {

    private static final Logger LOG = Logger.getLogger(ReportPublisher.class.getName());

    @Inject
    ConfiguredBroker broker;
    @Inject
    TopicScheme topics;
    @Inject
    Origin origin;

    void report(@Observes(during = TransactionPhase.AFTER_SUCCESS) ValueChanged change) {
        Publication p = new Publication(topics.reportTopic(change.datapoint()),
                change.value().getBytes(StandardCharsets.UTF_8), topics.qos(), false, origin.mark());
        try {
            broker.publish(p);
        } catch (ResourceException | RuntimeException e) {
            LOG.warning("BMS0301 report of " + change.datapoint() + " not published: " + e.getMessage());
        }
    }
}
