package org.bmsmqtt.bms.knx;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;

import java.util.List;

/**
 * Stored KNX bindings: create, read, update, delete. The DPT must fit the datapoint's data type, checked here when a
 * binding is stored and again when the datapoint's type changes, so a mismatch never reaches the bus.
 */
@Stateless
public class KnxBindingService {

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private Event<KnxBindingsChanged> changes;

    /** All bindings, or those of one datapoint (by name). */
    public List<KnxBinding> list(String datapoint) {
        if (datapoint == null || datapoint.isBlank()) {
            return em.createQuery("select b from KnxBinding b join fetch b.datapoint join fetch b.connection "
                    + "order by b.id", KnxBinding.class).getResultList();
        }
        Datapoint d = datapoint(datapoint);
        return em.createQuery("select b from KnxBinding b join fetch b.datapoint join fetch b.connection "
                + "where b.datapoint.id = :id order by b.id", KnxBinding.class).setParameter("id", d.getId()).getResultList();
    }

    public KnxBinding get(long id) {
        KnxBinding b = em.find(KnxBinding.class, id);
        if (b == null) {
            throw new NotFoundException("id", "no KNX binding with id " + id);
        }
        return b;
    }

    public KnxBinding create(String datapoint, KnxBindingSettings s) {
        if (datapoint == null || datapoint.isBlank()) {
            throw new InvalidValueException("datapoint", "the name of the datapoint to bind is required");
        }
        Datapoint d = em.createNamedQuery("Datapoint.byName", Datapoint.class).setParameter("name", datapoint)
                .getResultStream().findFirst().orElseThrow(() -> new InvalidValueException("datapoint",
                        "no datapoint named '" + datapoint + "'"));
        KnxBinding b = new KnxBinding(d, connection(s.connectionId()), checked(s, d.getDataType()));
        em.persist(b);
        em.flush();
        changes.fire(new KnxBindingsChanged(d.getId()));
        return b;
    }

    /** Changes a binding's connection, addresses, DPT or read flag; its datapoint stays. */
    public KnxBinding update(long id, KnxBindingSettings s) {
        KnxBinding b = get(id);
        b.apply(connection(s.connectionId()), checked(s, b.getDatapoint().getDataType()));
        em.flush();
        changes.fire(new KnxBindingsChanged(b.getDatapoint().getId()));
        return b;
    }

    public void delete(long id) {
        KnxBinding b = get(id);
        long datapointId = b.getDatapoint().getId();
        em.remove(b);
        changes.fire(new KnxBindingsChanged(datapointId));
    }

    /**
     * Within the transaction that changes a datapoint: a new data type must still fit every DPT it is bound to,
     * or the change is refused (rolled back) with the reason.
     */
    public void requireDptsFit(@Observes DatapointsChanged change) {
        Datapoint d = em.find(Datapoint.class, change.datapointId());
        if (d == null) {
            return;
        }
        for (String dpt : em.createQuery("select b.dpt from KnxBinding b where b.datapoint.id = :id", String.class)
                .setParameter("id", d.getId()).getResultList()) {
            if (!KnxDpt.of(dpt, "dpt").dataTypes().contains(d.getDataType())) {
                throw new InvalidValueException("dataType", "datapoint " + d.getName() + " is bound to KNX DPT " + dpt
                        + ", which does not fit " + d.getDataType() + ": change or delete the KNX binding first");
            }
        }
    }

    private static KnxBindingSettings checked(KnxBindingSettings s, DataType type) {
        KnxDpt.of(s.dpt(), "dpt").requireCompatible(type, "dpt");
        return s;
    }

    private Datapoint datapoint(String name) {
        return em.createNamedQuery("Datapoint.byName", Datapoint.class).setParameter("name", name).getResultStream()
                .findFirst().orElseThrow(() -> new NotFoundException("datapoint", "no datapoint named '" + name + "'"));
    }

    private KnxConnection connection(long id) {
        KnxConnection c = em.find(KnxConnection.class, id);
        if (c == null) {
            throw new InvalidValueException("connectionId", "no KNX connection with id " + id);
        }
        return c;
    }
}
