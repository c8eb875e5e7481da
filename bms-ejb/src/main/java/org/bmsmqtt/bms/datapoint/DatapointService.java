package org.bmsmqtt.bms.datapoint;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerService;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.NotFoundException;

import java.util.List;

/** Datapoints and their MQTT bindings: configuration. Values go through the {@link DatapointEngine}. */
@Stateless
public class DatapointService {

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private BrokerService brokers;
    @Inject
    private Event<DatapointsChanged> changes;

    public List<Datapoint> list(String pathPrefix) {
        String prefix = pathPrefix == null ? "" : pathPrefix;
        return em.createQuery("select d from Datapoint d where d.path like :p order by d.path", Datapoint.class)
                .setParameter("p", prefix.replace("%", "\\%").replace("_", "\\_") + "%").getResultList();
    }

    public Datapoint get(String name) {
        return em.createNamedQuery("Datapoint.byName", Datapoint.class).setParameter("name", name)
                .getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("name", "no datapoint named '" + name + "'"));
    }

    public Datapoint create(DatapointSettings s) {
        requireUnique(s, null);
        Datapoint d = new Datapoint(s);
        em.persist(d);
        changes.fire(new DatapointsChanged());
        return d;
    }

    public Datapoint update(String name, DatapointSettings s) {
        Datapoint d = get(name);
        requireUnique(s, d.getId());
        d.apply(s);
        changes.fire(new DatapointsChanged());
        return d;
    }

    public void delete(String name) {
        Datapoint d = get(name);
        em.createQuery("delete from MqttBinding b where b.datapoint.id = :id").setParameter("id", d.getId())
                .executeUpdate();
        em.createQuery("delete from Datapoint d where d.id = :id").setParameter("id", d.getId()).executeUpdate();
        em.createNativeQuery("DELETE FROM value_history WHERE datapoint_id = ?").setParameter(1, d.getId())
                .executeUpdate();
        changes.fire(new DatapointsChanged());
    }

    public List<MqttBinding> bindings(String datapoint) {
        Datapoint d = get(datapoint);
        return em.createQuery("select b from MqttBinding b join fetch b.broker where b.datapoint.id = :id order by b.id",
                MqttBinding.class).setParameter("id", d.getId()).getResultList();
    }

    public MqttBinding bind(String datapoint, BindingSettings s) {
        Datapoint d = get(datapoint);
        Broker b = broker(s);
        MqttBinding binding = new MqttBinding(d, b, s);
        em.persist(binding);
        changes.fire(new DatapointsChanged());
        return binding;
    }

    public MqttBinding rebind(String datapoint, long bindingId, BindingSettings s) {
        MqttBinding binding = binding(datapoint, bindingId);
        if (binding.getBroker().getId() != s.brokerId()) {
            throw new org.bmsmqtt.bms.shared.InvalidValueException("brokerId",
                    "a binding stays with its broker: delete it and bind again");
        }
        binding.apply(s);
        changes.fire(new DatapointsChanged());
        return binding;
    }

    public void unbind(String datapoint, long bindingId) {
        em.remove(binding(datapoint, bindingId));
        changes.fire(new DatapointsChanged());
    }

    private MqttBinding binding(String datapoint, long bindingId) {
        Datapoint d = get(datapoint);
        MqttBinding b = em.find(MqttBinding.class, bindingId);
        if (b == null || !b.getDatapoint().getId().equals(d.getId())) {
            throw new NotFoundException("bindingId", "datapoint " + datapoint + " has no binding " + bindingId);
        }
        return b;
    }

    private Broker broker(BindingSettings s) {
        try {
            return brokers.get(s.brokerId());
        } catch (NotFoundException e) {
            throw new NotFoundException("brokerId", "no broker with id " + s.brokerId());
        }
    }

    private void requireUnique(DatapointSettings s, Long self) {
        for (Datapoint d : em.createQuery("select d from Datapoint d where d.name = :n or d.path = :p", Datapoint.class)
                .setParameter("n", s.name()).setParameter("p", s.path()).getResultList()) {
            if (!d.getId().equals(self)) {
                boolean sameName = d.getName().equals(s.name());
                throw new DuplicateException(sameName ? "name" : "path",
                        "a datapoint with this " + (sameName ? "name" : "path") + " exists");
            }
        }
    }
}
