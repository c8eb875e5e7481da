package org.bmsmqtt.bms.configuration;

import jakarta.persistence.EntityManager;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.knx.KnxBinding;
import org.bmsmqtt.bms.knx.KnxBindingSettings;
import org.bmsmqtt.bms.knx.KnxBindingsChanged;
import org.bmsmqtt.bms.knx.KnxConnection;
import org.bmsmqtt.bms.knx.KnxConnectionChanged;
import org.bmsmqtt.bms.knx.KnxConnectionSettings;
import org.bmsmqtt.bms.knx.KnxDpt;
import org.bmsmqtt.bms.shared.BusinessException;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KNX part of export and import, inside the configuration service's transaction. Import: connections by name are
 * created or updated (unchanged ones are not re-opened; mode replace deletes the others, with their bindings); the KNX
 * bindings of every datapoint the document names are replaced by the document's. Every datapoint the document names
 * must still fit the DPTs it is bound to. Failures name the entry, e.g. {@code knx.bindings[3].dpt}.
 */
final class KnxImporter {

    /** What the import changed, for the gateway after commit. */
    record Changes(List<KnxConnectionChanged> connections, Set<Long> bindingsOf, int connectionsApplied,
                   int bindings) {
    }

    private final EntityManager em;

    KnxImporter(EntityManager em) {
        this.em = em;
    }

    KnxSection export() {
        List<KnxConnectionSettings> connections = em.createQuery("select c from KnxConnection c order by c.name",
                KnxConnection.class).getResultList().stream().map(KnxConnection::settings).toList();
        List<KnxSection.Binding> bindings = em.createQuery("select b from KnxBinding b join fetch b.datapoint "
                + "join fetch b.connection order by b.datapoint.name, b.id", KnxBinding.class).getResultList().stream()
                .map(b -> new KnxSection.Binding(b.getDatapoint().getName(), b.getConnection().getName(), b.settings()))
                .toList();
        return new KnxSection(true, connections, bindings);
    }

    /** After the datapoints are imported (new ones have ids): the document's datapoints in its order. */
    Changes apply(ConfigurationImport doc) {
        KnxSection knx = doc.knx();
        List<KnxConnectionChanged> events = new ArrayList<>();
        Map<String, KnxConnection> connections = new HashMap<>();
        em.createQuery("select c from KnxConnection c", KnxConnection.class).getResultList()
                .forEach(c -> connections.put(c.getName(), c));
        int applied = 0;
        if (knx.given()) {
            applied = importConnections(knx, doc.replace(), connections, events);
        }
        Map<String, Datapoint> datapoints = new HashMap<>();
        em.createQuery("select d from Datapoint d", Datapoint.class).getResultList()
                .forEach(d -> datapoints.put(d.getName(), d));
        Map<Long, List<KnxBinding>> stored = new HashMap<>();
        em.createQuery("select b from KnxBinding b join fetch b.connection order by b.id", KnxBinding.class)
                .getResultList().forEach(b -> stored.computeIfAbsent(b.getDatapoint().getId(), k -> new ArrayList<>())
                        .add(b));
        Set<Long> changed = new HashSet<>();
        if (knx.given()) {
            importBindings(doc, connections, datapoints, stored, changed);
        }
        requireDptsFit(doc, datapoints, stored);
        return new Changes(events, changed, applied, knx.bindings().size());
    }

    private int importConnections(KnxSection knx, boolean replace, Map<String, KnxConnection> stored,
                                  List<KnxConnectionChanged> events) {
        Set<String> named = new HashSet<>();
        List<KnxConnectionSettings> list = knx.connections();
        for (int i = 0; i < list.size(); i++) {
            if (!named.add(list.get(i).name())) {
                throw new InvalidValueException("knx.connections[" + i + "].name", "the document names KNX connection '"
                        + list.get(i).name() + "' twice");
            }
        }
        if (replace) {
            for (KnxConnection c : List.copyOf(stored.values())) {
                if (!named.contains(c.getName())) {
                    em.createQuery("delete from KnxBinding b where b.connection.id = :id").setParameter("id", c.getId())
                            .executeUpdate();
                    em.remove(c);
                    stored.remove(c.getName());
                    events.add(new KnxConnectionChanged(c.getId(), true));
                }
            }
        }
        int applied = 0;
        for (KnxConnectionSettings s : list) {
            KnxConnection c = stored.get(s.name());
            if (c == null) {
                c = new KnxConnection(s);
                em.persist(c);
                stored.put(s.name(), c);
            } else if (c.settings().equals(s)) {
                continue;
            } else {
                c.apply(s);
            }
            events.add(new KnxConnectionChanged(c.getId(), false));
            applied++;
        }
        return applied;
    }

    private void importBindings(ConfigurationImport doc, Map<String, KnxConnection> connections,
                                Map<String, Datapoint> datapoints, Map<Long, List<KnxBinding>> stored,
                                Set<Long> changed) {
        Map<String, List<KnxBinding>> wanted = new LinkedHashMap<>();
        doc.datapoints().forEach(e -> wanted.put(e.settings().name(), new ArrayList<>()));
        List<KnxSection.Binding> bindings = doc.knx().bindings();
        for (int j = 0; j < bindings.size(); j++) {
            KnxSection.Binding b = bindings.get(j);
            String at = "knx.bindings[" + j + "]";
            Datapoint d = datapoints.get(b.datapoint());
            if (d == null) {
                throw new InvalidValueException(at + ".datapoint", "no datapoint named '" + b.datapoint() + "'");
            }
            KnxConnection c = connections.get(b.connection());
            if (c == null) {
                throw new InvalidValueException(at + ".connection", "no KNX connection named '" + b.connection() + "'"
                        + (doc.replace() ? " in the document (mode=replace keeps only the document's)" : ""));
            }
            KnxBindingSettings s = b.settings();
            try {
                KnxDpt.of(s.dpt(), "dpt").requireCompatible(d.getDataType(), "dpt");
            } catch (BusinessException e) {
                throw new InvalidValueException(at + ".dpt", at + ".dpt: " + e.getMessage());
            }
            wanted.computeIfAbsent(d.getName(), k -> new ArrayList<>()).add(new KnxBinding(d, c,
                    new KnxBindingSettings(c.getId(), s.writeAddress(), s.listenAddresses(), s.dpt(), s.readAtStart(),
                            s.answerReads())));
        }
        wanted.forEach((name, now) -> {
            Datapoint d = datapoints.get(name);
            List<KnxBinding> old = stored.getOrDefault(d.getId(), List.of());
            if (!old.stream().map(KnxBinding::settings).toList().equals(now.stream().map(KnxBinding::settings).toList())) {
                old.forEach(em::remove);
                now.forEach(em::persist);
                stored.put(d.getId(), now);
                changed.add(d.getId());
            }
        });
    }

    /** A datapoint's new type must fit the DPTs of the KNX bindings it keeps. */
    private static void requireDptsFit(ConfigurationImport doc, Map<String, Datapoint> datapoints,
                                       Map<Long, List<KnxBinding>> stored) {
        for (int i = 0; i < doc.datapoints().size(); i++) {
            Datapoint d = datapoints.get(doc.datapoints().get(i).settings().name());
            for (KnxBinding b : stored.getOrDefault(d.getId(), List.of())) {
                String dpt = b.settings().dpt();
                if (!KnxDpt.of(dpt, "dpt").dataTypes().contains(d.getDataType())) {
                    throw new InvalidValueException("datapoints[" + i + "].dataType", "datapoint " + d.getName()
                            + " stays bound to KNX DPT " + dpt + ", which does not fit " + d.getDataType());
                }
            }
        }
    }
}
