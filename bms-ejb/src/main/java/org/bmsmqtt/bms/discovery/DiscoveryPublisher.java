package org.bmsmqtt.bms.discovery;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.bacnet.BacnetChanged;
import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerChanged;
import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.bms.broker.BrokerSessionOpened;
import org.bmsmqtt.bms.broker.EcosystemSettings;
import org.bmsmqtt.bms.datapoint.AccessMode;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.datapoint.DatapointSettings;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.datapoint.Origin;
import org.bmsmqtt.bms.datapoint.PayloadFormat;
import org.bmsmqtt.bms.knx.KnxBindingsChanged;
import org.bmsmqtt.bms.knx.KnxConnectionChanged;
import org.bmsmqtt.ra.api.Publication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Keeps Home Assistant's retained discovery configs on every broker with {@code discovery} on in step with the
 * configuration, at run time: all of them again when the broker's session opens (start-up, broker changed,
 * reconnect), the changed ones after each committed datapoint or binding change, empty retained messages for
 * datapoints and bindings that went away and for everything when discovery is switched off. The work runs off the
 * committing thread ({@code @Asynchronous}), one broker at a time; brokers without discovery cost a set lookup.
 * <p>
 * What was published lives in memory; when a session opens, the configs the broker holds under this server's node are
 * read back ({@link DiscoveryReadBack}) and those of datapoints this server no longer has are removed.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DiscoveryPublisher {

    private static final Logger LOG = Logger.getLogger(DiscoveryPublisher.class.getName());
    private static final int CHUNK = 1000;
    /** How long a sync waits for a new session to connect before it queues its configs anyway (bounded). */
    private static final long CONNECT_WAIT_MILLIS = 30_000;

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private BrokerRegistry registry;
    @Inject
    private org.bmsmqtt.bms.cluster.ClusterRole role;
    @Inject
    private Origin origin;
    @Inject
    private DatapointEngine engine;
    @Resource
    private SessionContext context;
    private DiscoveryReadBack readBack;

    /** Per broker with discovery on: what we published, per datapoint id. */
    private final Map<Long, Map<Long, DiscoveryMessage>> published = new ConcurrentHashMap<>();
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        readBack = new DiscoveryReadBack(registry);
        engine.attachUnmatched(readBack::onMessage); // the only such listener: the read-back's messages
    }

    @PreDestroy
    void stop() {
        engine.attachUnmatched(null);
    }

    public void onSessionOpened(@Observes BrokerSessionOpened opened) {
        self().sync(opened.brokerId(), null, true); // returns at once: observers of this event must be quick
    }

    public void onBrokerChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) BrokerChanged change) {
        if (change.deleted()) {
            published.remove(change.brokerId()); // its session is gone: nothing can be sent to it any more
        } else {
            self().sync(change.brokerId(), null, false); // e.g. discovery switched off: the session may stay as it is
        }
    }

    public void onDatapointsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatapointsChanged change) {
        for (Long brokerId : published.keySet()) {
            self().sync(brokerId, Set.of(change.datapointId()), false);
        }
    }

    /** A field-bus binding came or went: the datapoint's availability list changes with it. */
    public void onKnxBindingsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KnxBindingsChanged change) {
        changed(change.datapointId());
    }

    public void onBacnetChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) BacnetChanged change) {
        if (change.datapointId() != null) {
            changed(change.datapointId());
        }
    }

    /** A deleted KNX connection took its bindings with it. */
    public void onKnxConnectionChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KnxConnectionChanged change) {
        if (change.deleted()) {
            for (Long brokerId : published.keySet()) {
                self().sync(brokerId, null, false);
            }
        }
    }

    private void changed(long datapointId) {
        for (Long brokerId : published.keySet()) {
            self().sync(brokerId, Set.of(datapointId), false);
        }
    }

    public void onConfigurationImported(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConfigurationImported change) {
        for (Long brokerId : published.keySet()) {
            self().sync(brokerId, change.datapointIds(), false);
        }
    }

    /** The broker's configs for these datapoints ({@code null}: all) brought in step; see {@link DiscoveryPlan}. */
    @Asynchronous
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sync(long brokerId, Collection<Long> datapointIds, boolean republish) {
        synchronized (locks.computeIfAbsent(brokerId, k -> new Object())) {
            Broker b = em.find(Broker.class, brokerId);
            Map<Long, DiscoveryMessage> before = published.getOrDefault(brokerId, Map.of());
            if (b == null || !b.isEnabled() || !role.isMain()) {
                // a cluster's backups publish nothing (configuration changes reach them too); the main does, also for
                // a shared broker that every member holds
                published.remove(brokerId);
                return;
            }
            EcosystemSettings eco = b.ecosystem();
            if (!eco.discovery()) {
                if (published.remove(brokerId) != null) {
                    send(b, DiscoveryPlan.removeAll(before));
                }
                return;
            }
            DiscoveryTarget target = new DiscoveryTarget(origin.id(), eco.discoveryPrefix(),
                    eco.availability() ? eco.availabilityTopicFor(b.getPath(), b.getName()) : "",
                    eco.payloadOnline(), eco.payloadOffline());
            Map<Long, DiscoveryMessage> current = new HashMap<>();
            for (DiscoveredPoint p : points(brokerId, datapointIds)) {
                HaDiscovery.config(target, p).ifPresent(m -> current.put(p.datapointId(), m));
            }
            DiscoveryPlan.Result plan = DiscoveryPlan.plan(before, current, datapointIds, republish);
            published.put(brokerId, new ConcurrentHashMap<>(plan.next()));
            if (republish) {
                registry.awaitConnected(brokerId, CONNECT_WAIT_MILLIS);
            }
            send(b, plan.messages());
            if (republish && datapointIds == null) {
                List<DiscoveryMessage> stale = DiscoveryPlan.stale(readBack.read(brokerId, target), current.values());
                if (!stale.isEmpty()) {
                    LOG.info("BMS1302 broker " + b.getName() + ": " + stale.size() + " Home Assistant discovery "
                            + "configs of datapoints this server no longer has removed");
                    send(b, stale);
                }
            }
        }
    }

    private DiscoveryPublisher self() {
        return context.getBusinessObject(DiscoveryPublisher.class);
    }

    private void send(Broker b, List<DiscoveryMessage> messages) {
        int refused = 0;
        String why = "";
        for (DiscoveryMessage m : messages) {
            Publication p = new Publication(m.topic(), m.payload().getBytes(StandardCharsets.UTF_8), 1, true,
                    origin.mark()).withContentType(m.isRemoval() ? "" : "application/json");
            Optional<String> refusal = registry.publish(b.getId(), p);
            if (refusal.isPresent()) {
                refused++;
                why = refusal.get();
            }
        }
        if (refused > 0) {
            // sent again at the next session open; changes in between go out as they come
            LOG.warning("BMS1301 broker " + b.getName() + ": " + refused + " of " + messages.size()
                    + " Home Assistant discovery messages refused: " + why);
        } else if (!messages.isEmpty()) {
            LOG.fine(() -> "BMS1300 broker " + b.getName() + ": " + messages.size() + " discovery messages published");
        }
    }

    /** The datapoints bound on the broker (first binding each, by id), in chunks when ids are given. */
    private List<DiscoveredPoint> points(long brokerId, Collection<Long> ids) {
        String q = "select d.id, d.name, d.path, d.dataType, d.accessMode, d.unit, m.commandTopic, m.reportTopic, "
                + "m.qos, m.payloadFormat, m.jsonPointer, d.options from MqttBinding m join m.datapoint d "
                + "where m.broker.id = :broker";
        List<Object[]> rows = new ArrayList<>();
        if (ids == null) {
            rows.addAll(em.createQuery(q + " order by d.id, m.id", Object[].class).setParameter("broker", brokerId)
                    .getResultList());
        } else {
            List<Long> all = new ArrayList<>(ids);
            for (int from = 0; from < all.size(); from += CHUNK) {
                rows.addAll(em.createQuery(q + " and d.id in :ids order by d.id, m.id", Object[].class)
                        .setParameter("broker", brokerId)
                        .setParameter("ids", all.subList(from, Math.min(all.size(), from + CHUNK))).getResultList());
            }
        }
        Set<Long> fieldBound = fieldBound(brokerId);
        List<DiscoveredPoint> points = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Object[] r : rows) {
            long id = (Long) r[0];
            if (seen.add(id)) {
                points.add(new DiscoveredPoint(id, (String) r[1], (String) r[2], (DataType) r[3], (AccessMode) r[4],
                        (String) r[5], (String) r[6], (String) r[7], (Integer) r[8], (PayloadFormat) r[9],
                        (String) r[10], fieldBound.contains(id),
                        DatapointSettings.optionsFromColumn((String) r[11])));
            }
        }
        return points;
    }

    /** The datapoints bound on the broker whose value comes from KNX or BACnet. */
    private Set<Long> fieldBound(long brokerId) {
        Set<Long> ids = new HashSet<>();
        for (String entity : List.of("KnxBinding", "BacnetBinding")) {
            ids.addAll(em.createQuery("select distinct f.datapoint.id from " + entity + " f, MqttBinding m "
                    + "where m.datapoint = f.datapoint and m.broker.id = :broker", Long.class)
                    .setParameter("broker", brokerId).getResultList());
        }
        return ids;
    }
}
