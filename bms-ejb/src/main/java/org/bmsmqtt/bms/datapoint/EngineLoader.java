package org.bmsmqtt.bms.datapoint;

import jakarta.persistence.EntityManager;
import org.bmsmqtt.bms.datapoint.EngineConfig.BindingConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * Reads the engine's configuration from the database as columns, not entities: 100,000 datapoints load in a fraction
 * of the time (no entity building, no persistence context to fill).
 */
final class EngineLoader {

    /** Datapoint ids per query of a refresh (an IN list databases take comfortably). */
    static final int CHUNK = 1000;
    private static final String BINDING_COLUMNS = "select b.id, b.datapoint.id, b.broker.id, b.commandTopic, "
            + "b.reportTopic, b.qos, b.retained, b.payloadFormat, b.jsonPointer from MqttBinding b";

    private EngineLoader() {
    }

    /** Everything, with the persistent values restored into {@code states}; returns how many were restored. */
    static int loadAll(EntityManager em, EngineConfig config, LongFunction<ValueState> states) {
        Map<Long, List<BindingConfig>> bindings = bindings(em.createQuery(BINDING_COLUMNS, Object[].class).getResultList());
        int restored = 0;
        for (Object[] r : em.createQuery("select d.id, d.name, d.dataType, d.accessMode, d.persistent, d.historical, "
                + "d.value, d.valueTime, d.valueSource, d.rejectedCount, d.lastError, d.unit, d.options, d.backupSync "
                + "from Datapoint d",
                Object[].class)
                .getResultList()) {
            long id = (Long) r[0];
            boolean persistent = (Boolean) r[4];
            config.put(new DpConfig(id, (String) r[1], (DataType) r[2], (AccessMode) r[3], persistent, (Boolean) r[5],
                    (String) r[11], DatapointSettings.optionsFromColumn((String) r[12]), (Boolean) r[13]),
                    bindings.getOrDefault(id, List.of()));
            if (persistent && r[6] != null) {
                states.apply(id).restore((String) r[6], (Instant) r[7], (String) r[8], (Long) r[9], (String) r[10]);
                restored++;
            }
        }
        return restored;
    }

    /** Every broker's echo policy and availability payloads. */
    static void brokers(EntityManager em, EngineConfig config) {
        em.createQuery("select b from Broker b", org.bmsmqtt.bms.broker.Broker.class).getResultList()
                .forEach(b -> putBroker(config, b));
    }

    static void putBroker(EngineConfig config, org.bmsmqtt.bms.broker.Broker b) {
        config.putBroker(b.getId(), b.getAntiEchoMillis(), b.isConfirmCommands(),
                b.ecosystem().sessionAvailability(b.getPath(), b.getName()));
    }

    /**
     * Everything again (a backup taking over: the main kept changing what is stored): brokers, datapoints, bindings,
     * persistent values (a newer value in memory stays, see {@link ValueState#restore}); those no longer stored go.
     */
    static void reloadAll(EntityManager em, EngineConfig config, LongFunction<ValueState> states, LongConsumer gone) {
        brokers(em, config);
        Set<Long> missing = new HashSet<>(config.ids());
        loadAll(em, config, states);
        missing.removeAll(em.createQuery("select d.id from Datapoint d", Long.class).getResultList());
        for (Long id : missing) {
            gone.accept(id);
            config.remove(id);
        }
    }

    /** Re-reads these datapoints (committed rows) in chunks; those gone are forgotten ({@code gone}). */
    static TopicDelta refresh(EntityManager em, EngineConfig config, List<Long> ids, LongConsumer gone) {
        TopicDelta delta = TopicDelta.none();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Map<Long, List<BindingConfig>> bindings = bindings(em.createQuery(BINDING_COLUMNS
                    + " where b.datapoint.id in :ids order by b.id", Object[].class)
                    .setParameter("ids", chunk).getResultList());
            Set<Long> found = new HashSet<>();
            for (Object[] r : em.createQuery("select d.id, d.name, d.dataType, d.accessMode, d.persistent, "
                    + "d.historical, d.unit, d.options, d.backupSync from Datapoint d where d.id in :ids", Object[].class)
                    .setParameter("ids", chunk).getResultList()) {
                long id = (Long) r[0];
                found.add(id);
                delta = delta.then(config.put(new DpConfig(id, (String) r[1], (DataType) r[2], (AccessMode) r[3],
                        (Boolean) r[4], (Boolean) r[5], (String) r[6], DatapointSettings.optionsFromColumn((String) r[7]),
                        (Boolean) r[8]),
                        bindings.getOrDefault(id, List.of())));
            }
            for (Long id : chunk) {
                if (!found.contains(id)) {
                    gone.accept(id);
                    delta = delta.then(config.remove(id));
                }
            }
        }
        return delta;
    }

    private static Map<Long, List<BindingConfig>> bindings(List<Object[]> rows) {
        Map<Long, List<BindingConfig>> bindings = new HashMap<>();
        for (Object[] r : rows) {
            BindingConfig bc = new BindingConfig((Long) r[0], (Long) r[1], (Long) r[2], (String) r[3], (String) r[4],
                    (Integer) r[5], (Boolean) r[6], (PayloadFormat) r[7], (String) r[8]);
            bindings.computeIfAbsent(bc.datapointId(), k -> new ArrayList<>(1)).add(bc);
        }
        return bindings;
    }
}
