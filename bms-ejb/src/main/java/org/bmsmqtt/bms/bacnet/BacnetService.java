package org.bmsmqtt.bms.bacnet;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.datapoint.DatapointService;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.NotFoundException;

import java.util.List;
import java.util.Optional;

/** BACnet configuration: the network and the bindings. The live side ({@link BacnetNetwork}) follows after commit. */
@Stateless
public class BacnetService {

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private DatapointService datapoints;
    @Inject
    private Event<BacnetChanged> changes;

    public Optional<BacnetNetworkConfig> network() {
        return Optional.ofNullable(em.find(BacnetNetworkConfig.class, BacnetNetworkConfig.ID));
    }

    /** Creates or replaces the network; the live network reopens after commit. */
    public BacnetNetworkConfig saveNetwork(BacnetNetworkSettings s) {
        BacnetNetworkConfig n = em.find(BacnetNetworkConfig.class, BacnetNetworkConfig.ID,
                LockModeType.PESSIMISTIC_WRITE);
        if (n == null) {
            n = new BacnetNetworkConfig(s);
            em.persist(n);
        } else {
            n.apply(s);
        }
        changes.fire(new BacnetChanged(null));
        return n;
    }

    public void deleteNetwork() {
        BacnetNetworkConfig n = network().orElseThrow(() -> new NotFoundException("", "no BACnet network configured"));
        em.remove(n);
        changes.fire(new BacnetChanged(null));
    }

    public List<BacnetBinding> bindings() {
        return em.createQuery("select b from BacnetBinding b join fetch b.datapoint order by b.id", BacnetBinding.class)
                .getResultList();
    }

    /** With its datapoint loaded (callers read its name after the transaction). */
    public BacnetBinding binding(long id) {
        return em.createQuery("select b from BacnetBinding b join fetch b.datapoint where b.id = :id",
                BacnetBinding.class).setParameter("id", id).getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("id", "no BACnet binding " + id));
    }

    public BacnetBinding bind(String datapoint, BacnetBindingSettings s) {
        Datapoint d = datapoints.get(datapoint);
        s.checkDataType(d.getDataType());
        boolean taken = !em.createQuery("select b.id from BacnetBinding b where b.datapoint.id = :id", Long.class)
                .setParameter("id", d.getId()).getResultList().isEmpty();
        if (taken) {
            throw new DuplicateException("datapoint", "datapoint '" + datapoint + "' already has a BACnet binding");
        }
        BacnetBinding b = new BacnetBinding(d, s);
        em.persist(b);
        changes.fire(new BacnetChanged(d.getId()));
        return b;
    }

    public BacnetBinding rebind(long id, BacnetBindingSettings s) {
        BacnetBinding b = binding(id);
        s.checkDataType(b.getDatapoint().getDataType());
        b.apply(s);
        changes.fire(new BacnetChanged(b.getDatapoint().getId()));
        return b;
    }

    public void unbind(long id) {
        BacnetBinding b = binding(id);
        em.remove(b);
        changes.fire(new BacnetChanged(b.getDatapoint().getId()));
    }

    // ---- for the live network (any thread): values, not entities ----

    public BacnetNetworkSettings networkSettings() {
        return network().map(BacnetNetworkConfig::settings).orElse(null);
    }

    /** Every binding's settings by datapoint id. */
    public java.util.Map<Long, BacnetBindingSettings> bindingSettings() {
        java.util.Map<Long, BacnetBindingSettings> all = new java.util.HashMap<>();
        for (Object[] r : em.createQuery("select b.datapoint.id, b from BacnetBinding b", Object[].class)
                .getResultList()) {
            all.put((Long) r[0], ((BacnetBinding) r[1]).settings());
        }
        return all;
    }

    /** The datapoint's binding settings, null when it has none. */
    public BacnetBindingSettings bindingSettings(long datapointId) {
        return em.createQuery("select b from BacnetBinding b where b.datapoint.id = :id", BacnetBinding.class)
                .setParameter("id", datapointId).getResultStream().findFirst().map(BacnetBinding::settings)
                .orElse(null);
    }

    public BacnetBinding bindingOf(long datapointId) {
        return em.createQuery("select b from BacnetBinding b where b.datapoint.id = :id", BacnetBinding.class)
                .setParameter("id", datapointId).getResultStream().findFirst().orElse(null);
    }
}
