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
import org.bmsmqtt.bms.shared.Page;
import org.bmsmqtt.bms.shared.Versions;

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

    /** One page of the datapoints that match, by path, queried in the database (a count query gives the total). */
    public Page<Datapoint> page(DatapointFilter filter, int offset, int limit) {
        StringBuilder where = new StringBuilder(" where d.path like :p");
        if (filter.dataType() != null) {
            where.append(" and d.dataType = :t");
        }
        if (filter.brokerId() != null) {
            where.append(" and exists (select m from MqttBinding m where m.datapoint = d and m.broker.id = :b)");
        }
        var items = em.createQuery("select d from Datapoint d" + where + " order by d.path", Datapoint.class);
        var count = em.createQuery("select count(d) from Datapoint d" + where, Long.class);
        for (jakarta.persistence.TypedQuery<?> q : List.of(items, count)) {
            String prefix = filter.pathPrefix() == null ? "" : filter.pathPrefix();
            q.setParameter("p", prefix.replace("%", "\\%").replace("_", "\\_") + "%");
            if (filter.dataType() != null) {
                q.setParameter("t", filter.dataType());
            }
            if (filter.brokerId() != null) {
                q.setParameter("b", filter.brokerId());
            }
        }
        return new Page<>(items.setFirstResult(offset).setMaxResults(limit).getResultList(), count.getSingleResult(),
                offset, limit);
    }

    public Datapoint get(String name) {
        return em.createNamedQuery("Datapoint.byName", Datapoint.class).setParameter("name", name)
                .getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("name", "no datapoint named '" + name + "'"));
    }

    public Datapoint create(DatapointSettings s) {
        requireUnique(s, null);
        Datapoint d = new Datapoint(s);
        em.persist(d); // the id comes from the sequence at once
        changes.fire(new DatapointsChanged(d.getId()));
        return d;
    }

    public Datapoint update(String name, DatapointSettings s) {
        return update(name, s, null);
    }

    /** @param expectedVersion the version the client read (HTTP If-Match); null: unconditional */
    public Datapoint update(String name, DatapointSettings s, Long expectedVersion) {
        Datapoint d = get(name);
        Versions.claim(em, d, d.getVersion(), expectedVersion, resource(d));
        requireUnique(s, d.getId());
        d.apply(s);
        Versions.flush(em, resource(d), expectedVersion);
        changes.fire(new DatapointsChanged(d.getId()));
        return d;
    }

    public void delete(String name) {
        delete(name, null);
    }

    public void delete(String name, Long expectedVersion) {
        Datapoint d = get(name);
        Versions.claim(em, d, d.getVersion(), expectedVersion, resource(d));
        em.createQuery("delete from MqttBinding b where b.datapoint.id = :id").setParameter("id", d.getId())
                .executeUpdate();
        em.createQuery("delete from Datapoint d where d.id = :id").setParameter("id", d.getId()).executeUpdate();
        em.createNativeQuery("DELETE FROM value_history WHERE datapoint_id = ?").setParameter(1, d.getId())
                .executeUpdate();
        changes.fire(new DatapointsChanged(d.getId()));
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
        changes.fire(new DatapointsChanged(d.getId()));
        return binding;
    }

    public MqttBinding rebind(String datapoint, long bindingId, BindingSettings s) {
        return rebind(datapoint, bindingId, s, null);
    }

    public MqttBinding rebind(String datapoint, long bindingId, BindingSettings s, Long expectedVersion) {
        MqttBinding binding = binding(datapoint, bindingId);
        Versions.claim(em, binding, binding.getVersion(), expectedVersion, resource(binding));
        if (binding.getBroker().getId() != s.brokerId()) {
            throw new org.bmsmqtt.bms.shared.InvalidValueException("brokerId",
                    "a binding stays with its broker: delete it and bind again");
        }
        binding.apply(s);
        Versions.flush(em, resource(binding), expectedVersion);
        changes.fire(new DatapointsChanged(binding.getDatapoint().getId()));
        return binding;
    }

    public void unbind(String datapoint, long bindingId) {
        unbind(datapoint, bindingId, null);
    }

    public void unbind(String datapoint, long bindingId, Long expectedVersion) {
        MqttBinding b = binding(datapoint, bindingId);
        Versions.claim(em, b, b.getVersion(), expectedVersion, resource(b));
        em.remove(b);
        changes.fire(new DatapointsChanged(b.getDatapoint().getId()));
    }

    public MqttBinding binding(String datapoint, long bindingId) {
        Datapoint d = get(datapoint);
        MqttBinding b = em.find(MqttBinding.class, bindingId);
        if (b == null || !b.getDatapoint().getId().equals(d.getId())) {
            throw new NotFoundException("bindingId", "datapoint " + datapoint + " has no binding " + bindingId);
        }
        return b;
    }

    private static String resource(Datapoint d) {
        return "datapoint '" + d.getName() + "'";
    }

    private static String resource(MqttBinding b) {
        return "binding " + b.getId() + " of datapoint '" + b.getDatapoint().getName() + "'";
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
