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
    /** Datapoints per page of the full load. */
    static final int LOAD_PAGE = 5000;
    private static final String BINDING_COLUMNS = "select b.id, b.datapoint.id, b.broker.id, b.commandTopic, "
            + "b.reportTopic, b.qos, b.retained, b.payloadFormat, b.jsonPointer from MqttBinding b";

    private EngineLoader() {
    }

    /**
     * Everything, with the persistent values restored into {@code states}; returns how many were restored. Read in
     * pages of LOAD_PAGE datapoints in id order (keyset), each with its bindings: the rows of one page die young, so a
     * start with 100,000 datapoints no longer holds two 100,000-row results at once while it builds the configuration
     * (they were copied through the young generation and grew the old one: serial pauses of 150-300 ms at start-up).
     */
    static int loadAll(EntityManager em, EngineConfig config, LongFunction<ValueState> states) {
        int[] restored = {0};
        inPages(LOAD_PAGE, (after, max) -> em.createQuery("select d.id, d.name, d.dataType, d.accessMode, "
                + "d.persistent, d.historical, d.value, d.valueTime, d.valueSource, d.rejectedCount, d.lastError, "
                + "d.unit, d.options, d.backupSync from Datapoint d where d.id > :after order by d.id", Object[].class)
                .setParameter("after", after).setMaxResults(max).getResultList(), (after, page) -> {
                    Map<Long, List<BindingConfig>> bindings = bindings(em.createQuery(BINDING_COLUMNS
                            + " where b.datapoint.id > :after and b.datapoint.id <= :last order by b.id", Object[].class)
                            .setParameter("after", after).setParameter("last", page.get(page.size() - 1)[0])
                            .getResultList());
                    for (Object[] r : page) {
                        long id = (Long) r[0];
                        boolean persistent = (Boolean) r[4];
                        config.put(new DpConfig(id, (String) r[1], (DataType) r[2], (AccessMode) r[3], persistent,
                                (Boolean) r[5], (String) r[11], DatapointSettings.optionsFromColumn((String) r[12]),
                                (Boolean) r[13]), bindings.getOrDefault(id, List.of()));
                        if (persistent && r[6] != null) {
                            states.apply(id).restore((String) r[6], (Instant) r[7], (String) r[8], (Long) r[9],
                                    (String) r[10]);
                            restored[0]++;
                        }
                    }
                });
        return restored[0];
    }

    /** One page of rows whose column 0 is an id above {@code after}, in id order, {@code max} at most. */
    interface PageQuery {
        List<Object[]> after(long after, int max);
    }

    /** Takes one page and the id the page comes after. */
    interface PageReader {
        void read(long after, List<Object[]> page);
    }

    /** Every row of {@code query} once, page by page (keyset: after the last id of the page before). */
    static void inPages(int size, PageQuery query, PageReader reader) {
        long after = Long.MIN_VALUE;
        while (true) {
            List<Object[]> page = query.after(after, size);
            if (page.isEmpty()) {
                return;
            }
            reader.read(after, page);
            if (page.size() < size) {
                return;
            }
            after = (Long) page.get(page.size() - 1)[0];
        }
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
