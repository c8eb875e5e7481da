package org.bmsmqtt.bms.cluster;

import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.bacnet.BacnetChanged;
import org.bmsmqtt.bms.broker.BrokerChanged;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.integrated.IntegratedBrokerChanged;
import org.bmsmqtt.bms.knx.KnxBindingsChanged;
import org.bmsmqtt.bms.knx.KnxConnectionChanged;
import org.bmsmqtt.bms.security.UsersChanged;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Configuration changes made through the admin API of any member apply on every member, without a restart: the
 * member that committed a change tells the others through a reliable topic of Payara's data grid, and each of them
 * fires the same event again, after which its own observers re-read what changed from the shared database (the
 * engine its datapoints, the registry its subscriptions, the KNX gateway and BACnet network their bindings, the user
 * directory its users). What only the main holds (sessions, buses) stays with the main: on a backup those observers
 * find nothing open. Changes are applied one at a time, in the order each member made them.
 */
@Singleton
@Startup
@DependsOn("ClusterRole")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConfigSync {

    static final String TOPIC = "bms-config-changes";
    private static final Logger LOG = Logger.getLogger(ConfigSync.class.getName());
    /** Set while a change from another member is fired here: that one is not told again. */
    private static final ThreadLocal<Boolean> REPLAYING = ThreadLocal.withInitial(() -> false);

    @Inject
    private ClusterRole role;
    @Inject
    private Event<Object> events;
    @Resource
    private ManagedThreadFactory threads;

    private ITopic<String> topic;
    private UUID listener;
    private ExecutorService applier;
    private final LongAdder sent = new LongAdder();
    private final LongAdder applied = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** Changes told to the other members, and those of other members applied here (failed: not applied). */
    public record Stats(boolean on, long sent, long applied, long failed) {
    }

    public Stats stats() {
        return new Stats(topic != null, sent.sum(), applied.sum(), failed.sum());
    }

    @PostConstruct
    void start() {
        if (!role.enabled()) {
            return;
        }
        try {
            topic = DataGrid.instance().getReliableTopic(TOPIC);
            applier = Executors.newSingleThreadExecutor(threads); // one at a time, in order
            listener = topic.addMessageListener(this::onMessage);
            LOG.info("BMS1408 configuration changes are shared with the other cluster members");
        } catch (javax.naming.NamingException | RuntimeException | LinkageError e) {
            topic = null;
            LOG.warning("BMS1409 configuration changes are not shared (Payara's data grid is not available: " + e
                    + "); a change applies on the member that made it, on the others at their next start or takeover");
        }
    }

    @PreDestroy
    void stop() {
        if (topic != null && listener != null) {
            try {
                topic.removeMessageListener(listener);
            } catch (RuntimeException e) {
                LOG.fine(() -> "configuration sync listener: " + e);
            }
        }
        if (applier != null) {
            applier.shutdownNow();
        }
    }

    public void onDatapoint(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatapointsChanged e) {
        tell(e);
    }

    public void onImported(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConfigurationImported e) {
        tell(e);
    }

    public void onBroker(@Observes(during = TransactionPhase.AFTER_SUCCESS) BrokerChanged e) {
        tell(e);
    }

    public void onKnxConnection(@Observes(during = TransactionPhase.AFTER_SUCCESS) KnxConnectionChanged e) {
        tell(e);
    }

    public void onKnxBindings(@Observes(during = TransactionPhase.AFTER_SUCCESS) KnxBindingsChanged e) {
        tell(e);
    }

    public void onBacnet(@Observes(during = TransactionPhase.AFTER_SUCCESS) BacnetChanged e) {
        tell(e);
    }

    public void onIntegratedBroker(@Observes(during = TransactionPhase.AFTER_SUCCESS) IntegratedBrokerChanged e) {
        tell(e);
    }

    public void onUsers(@Observes(during = TransactionPhase.AFTER_SUCCESS) UsersChanged e) {
        tell(e);
    }

    private void tell(Object event) {
        if (topic == null || REPLAYING.get()) {
            return;
        }
        ConfigEvents.encode(event).ifPresent(text -> {
            try {
                topic.publishAsync(text);
                sent.increment();
            } catch (RuntimeException e) {
                LOG.warning("BMS1410 configuration change not told to the other cluster members (" + text.split("\t")[0]
                        + "): " + e);
            }
        });
    }

    private void onMessage(Message<String> m) {
        if (m.getPublishingMember() != null && m.getPublishingMember().localMember()) {
            return; // applied here already, by the observers of the member that made it
        }
        String text = m.getMessageObject();
        applier.execute(() -> apply(text));
    }

    @SuppressWarnings("unchecked")
    private <T> void fire(T event) {
        events.select((Class<T>) event.getClass()).fire(event);
    }

    private void apply(String text) {
        REPLAYING.set(true);
        try {
            Object event = ConfigEvents.decode(text);
            fire(event);
            applied.increment();
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warning("BMS1411 configuration change of another cluster member not applied (" + text.split("\t")[0]
                    + "): " + e);
        } finally {
            REPLAYING.set(false);
        }
    }
}
