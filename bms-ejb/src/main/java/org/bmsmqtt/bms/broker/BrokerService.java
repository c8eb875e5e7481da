package org.bmsmqtt.bms.broker;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.NotFoundException;

import java.util.List;

/** Stored brokers: create, read, update, delete. Every change is applied live by the {@link BrokerRegistry}. */
@Stateless
public class BrokerService {

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private SecretCipher cipher;
    @Inject
    private Event<BrokerChanged> changes;

    public List<Broker> list() {
        return em.createQuery("select b from Broker b order by b.name", Broker.class).getResultList();
    }

    public Broker get(long id) {
        Broker b = em.find(Broker.class, id);
        if (b == null) {
            throw new NotFoundException("id", "no broker with id " + id);
        }
        return b;
    }

    public Broker create(BrokerSettings settings) {
        requireUnique(settings, null);
        Broker b = new Broker(settings, cipher);
        em.persist(b);
        em.flush();
        changes.fire(new BrokerChanged(b.getId(), false));
        return b;
    }

    /** Stores a broker without telling the registry (the registry itself, at start-up, opens what is stored). */
    public Broker bootstrap(BrokerSettings settings) {
        requireUnique(settings, null);
        Broker b = new Broker(settings, cipher);
        em.persist(b);
        return b;
    }

    public Broker update(long id, BrokerSettings settings) {
        Broker b = get(id);
        requireUnique(settings, id);
        b.apply(settings, cipher);
        em.flush();
        changes.fire(new BrokerChanged(id, false));
        return b;
    }

    public void delete(long id) {
        Broker b = get(id);
        em.createQuery("delete from MqttBinding m where m.broker.id = :id").setParameter("id", id).executeUpdate();
        em.remove(b);
        changes.fire(new BrokerChanged(id, true));
    }

    private void requireUnique(BrokerSettings s, Long self) {
        List<Broker> same = em.createQuery("select b from Broker b where b.name = :n or (b.host = :h and b.port = :p "
                        + "and b.clientId = :c)", Broker.class)
                .setParameter("n", s.name()).setParameter("h", s.host()).setParameter("p", s.port())
                .setParameter("c", s.clientId()).getResultList();
        for (Broker b : same) {
            if (!b.getId().equals(self)) {
                if (b.getName().equals(s.name())) {
                    throw new DuplicateException("name", "a broker named '" + s.name() + "' exists");
                }
                throw new DuplicateException("clientId", "broker '" + b.getName() + "' already connects to "
                        + s.host() + ":" + s.port() + " as " + s.clientId());
            }
        }
    }
}
