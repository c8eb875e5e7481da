package org.bmsmqtt.bms.broker;

import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.ra.api.Publication;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The availability topics of datapoints whose value comes from a field bus ({@code <report topic>/availability}:
 * online while their KNX connection or BACnet device can be reached, offline while not), all of them again whenever a
 * broker's session opens: retained messages are gone from a broker that was replaced or keeps nothing on disk, and the
 * payloads may have changed with the broker. Changes in between go out from the engine as they happen.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AvailabilityPublisher {

    private static final Logger LOG = Logger.getLogger(AvailabilityPublisher.class.getName());
    /** How long a new session may take to connect before its messages are queued anyway (bounded). */
    private static final long CONNECT_WAIT_MILLIS = 30_000;

    @Inject
    private BrokerRegistry registry;
    @Inject
    private DatapointEngine engine;
    @Resource
    private SessionContext context;

    public void onSessionOpened(@Observes BrokerSessionOpened opened) {
        // observers of this event must return at once
        context.getBusinessObject(AvailabilityPublisher.class).publishAll(opened.brokerId(), opened.name());
    }

    @Asynchronous
    public void publishAll(long brokerId, String name) {
        List<Publication> all = engine.availabilityOf(brokerId);
        if (all.isEmpty()) {
            return;
        }
        registry.awaitConnected(brokerId, CONNECT_WAIT_MILLIS);
        int refused = 0;
        String why = "";
        for (Publication p : all) {
            Optional<String> refusal = registry.publish(brokerId, p);
            if (refusal.isPresent()) {
                refused++;
                why = refusal.get();
            }
        }
        if (refused > 0) { // sent again when the session opens next; changes in between go out as they come
            LOG.warning("BMS0211 broker " + name + ": " + refused + " of " + all.size()
                    + " datapoint availability messages refused: " + why);
        }
    }
}
