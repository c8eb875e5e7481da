package org.bmsmqtt.bms.configuration;

import jakarta.persistence.EntityManager;
import org.bmsmqtt.bms.bacnet.BacnetBinding;
import org.bmsmqtt.bms.bacnet.BacnetBindingSettings;
import org.bmsmqtt.bms.bacnet.BacnetNetworkConfig;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.shared.BusinessException;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The BACnet part of export and import, inside the configuration service's transaction. Import: the network is
 * created or updated when the document gives one (unchanged, it is not reopened; mode replace deletes a network the
 * document leaves out); the BACnet binding of every datapoint the document names is replaced by the document's (or
 * removed when it has none there). Every datapoint the document names must still fit the object it is bound to.
 * Failures name the entry, e.g. {@code bacnet.bindings[3].objectType}.
 */
final class BacnetImporter {

    /** What the import changed, for the BACnet network after commit. */
    record Changes(boolean networkChanged, Set<Long> bindingsOf, int bindings) {
    }

    private final EntityManager em;

    BacnetImporter(EntityManager em) {
        this.em = em;
    }

    BacnetSection export() {
        BacnetNetworkConfig n = em.find(BacnetNetworkConfig.class, BacnetNetworkConfig.ID);
        List<BacnetSection.Binding> bindings = em.createQuery("select b from BacnetBinding b join fetch b.datapoint "
                + "order by b.datapoint.name", BacnetBinding.class).getResultList().stream()
                .map(b -> new BacnetSection.Binding(b.getDatapoint().getName(), b.settings())).toList();
        return new BacnetSection(true, n == null ? null : n.settings(), bindings);
    }

    /** After the datapoints are imported (new ones have ids). */
    Changes apply(ConfigurationImport doc) {
        BacnetSection bacnet = doc.bacnet();
        boolean networkChanged = bacnet.given() && importNetwork(bacnet, doc.replace());
        Map<String, Datapoint> datapoints = new HashMap<>();
        em.createQuery("select d from Datapoint d", Datapoint.class).getResultList()
                .forEach(d -> datapoints.put(d.getName(), d));
        Map<Long, BacnetBinding> stored = new HashMap<>();
        em.createQuery("select b from BacnetBinding b", BacnetBinding.class).getResultList()
                .forEach(b -> stored.put(b.getDatapoint().getId(), b));
        Set<Long> changed = new HashSet<>();
        if (bacnet.given()) {
            importBindings(doc, datapoints, stored, changed);
        }
        requireTypesFit(doc, datapoints, stored);
        return new Changes(networkChanged, changed, bacnet.bindings().size());
    }

    private boolean importNetwork(BacnetSection bacnet, boolean replace) {
        BacnetNetworkConfig n = em.find(BacnetNetworkConfig.class, BacnetNetworkConfig.ID);
        if (bacnet.network() == null) {
            if (replace && n != null) {
                em.remove(n);
                return true;
            }
            return false;
        }
        if (n == null) {
            em.persist(new BacnetNetworkConfig(bacnet.network()));
            return true;
        }
        if (n.settings().equals(bacnet.network())) {
            return false;
        }
        n.apply(bacnet.network());
        return true;
    }

    private void importBindings(ConfigurationImport doc, Map<String, Datapoint> datapoints,
                                Map<Long, BacnetBinding> stored, Set<Long> changed) {
        Map<String, BacnetBindingSettings> wanted = new HashMap<>();
        doc.datapoints().forEach(e -> wanted.put(e.settings().name(), null));
        List<BacnetSection.Binding> bindings = doc.bacnet().bindings();
        Set<String> bound = new HashSet<>();
        for (int j = 0; j < bindings.size(); j++) {
            BacnetSection.Binding b = bindings.get(j);
            String at = "bacnet.bindings[" + j + "]";
            Datapoint d = datapoints.get(b.datapoint());
            if (d == null) {
                throw new InvalidValueException(at + ".datapoint", "no datapoint named '" + b.datapoint() + "'");
            }
            if (!bound.add(d.getName())) {
                throw new InvalidValueException(at + ".datapoint", "datapoint '" + d.getName()
                        + "' has a BACnet binding earlier in the document: a datapoint mirrors one property");
            }
            try {
                b.settings().checkDataType(d.getDataType());
            } catch (BusinessException e) {
                throw new InvalidValueException(at + "." + e.field(), at + "." + e.field() + ": "
                        + e.getMessage());
            }
            wanted.put(d.getName(), b.settings());
        }
        wanted.forEach((name, settings) -> {
            Datapoint d = datapoints.get(name);
            BacnetBinding old = stored.get(d.getId());
            if (Objects.equals(old == null ? null : old.settings(), settings)) {
                return;
            }
            if (old != null && settings != null) {
                old.apply(settings);
            } else if (old != null) {
                em.remove(old);
                stored.remove(d.getId());
            } else {
                BacnetBinding b = new BacnetBinding(d, settings);
                em.persist(b);
                stored.put(d.getId(), b);
            }
            changed.add(d.getId());
        });
    }

    /** A datapoint's new type must fit the object of the BACnet binding it keeps. */
    private static void requireTypesFit(ConfigurationImport doc, Map<String, Datapoint> datapoints,
                                        Map<Long, BacnetBinding> stored) {
        for (int i = 0; i < doc.datapoints().size(); i++) {
            Datapoint d = datapoints.get(doc.datapoints().get(i).settings().name());
            BacnetBinding b = stored.get(d.getId());
            if (b != null) {
                try {
                    b.settings().checkDataType(d.getDataType());
                } catch (BusinessException e) {
                    throw new InvalidValueException("datapoints[" + i + "].dataType", "datapoint " + d.getName()
                            + " stays bound to BACnet: " + e.getMessage());
                }
            }
        }
    }
}
