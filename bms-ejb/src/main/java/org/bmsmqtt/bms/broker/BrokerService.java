package org.bmsmqtt.bms.broker;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.certificate.CertificateStore;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;
import org.bmsmqtt.bms.shared.Page;
import org.bmsmqtt.bms.shared.Versions;

import java.util.List;

/** Stored brokers: create, read, update, delete. Every change is applied live by the {@link BrokerRegistry}. */
@Stateless
public class BrokerService {

    @Inject
    private org.bmsmqtt.bms.integrated.IntegratedBrokerService integratedBroker;
    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private SecretCipher cipher;
    @Inject
    private Event<BrokerChanged> changes;
    @Inject
    private CertificateStore certificates;

    public List<Broker> list() {
        return em.createQuery("select b from Broker b order by b.name", Broker.class).getResultList();
    }

    /** One page, by name, queried in the database. */
    public Page<Broker> page(int offset, int limit) {
        List<Broker> items = em.createQuery("select b from Broker b order by b.name", Broker.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList();
        long total = em.createQuery("select count(b) from Broker b", Long.class).getSingleResult();
        return new Page<>(items, total, offset, limit);
    }

    /** A broker by id (all digits) or else by name; unknown: a 400 naming {@code field}. */
    public Broker find(String idOrName, String field) {
        if (idOrName.matches("[0-9]{1,18}")) {
            Broker b = em.find(Broker.class, Long.parseLong(idOrName));
            if (b != null) {
                return b;
            }
        }
        return em.createQuery("select b from Broker b where b.name = :n", Broker.class).setParameter("n", idOrName)
                .getResultStream().findFirst()
                .orElseThrow(() -> new InvalidValueException(field, "no broker with id or name '" + idOrName + "'"));
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
        requireFiles(settings);
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
        return update(id, settings, null);
    }

    /** @param expectedVersion the version the client read (HTTP If-Match); null: unconditional */
    public Broker update(long id, BrokerSettings settings, Long expectedVersion) {
        Broker b = get(id);
        Versions.claim(em, b, b.getVersion(), expectedVersion, resource(b));
        requireUnique(settings, id);
        requireFiles(settings);
        b.apply(settings, cipher);
        Versions.flush(em, resource(b), expectedVersion);
        changes.fire(new BrokerChanged(id, false));
        return b;
    }

    /**
     * Starts or stops a broker: {@code enabled} is stored (a stopped broker stays stopped across restarts until it
     * is started again) and the registry opens or closes its session after commit. Already in that state: nothing
     * changes.
     */
    public Broker setEnabled(long id, boolean enabled, Long expectedVersion) {
        Broker b = get(id);
        Versions.claim(em, b, b.getVersion(), expectedVersion, resource(b));
        if (b.isEnabled() != enabled) {
            b.setEnabled(enabled);
            Versions.flush(em, resource(b), expectedVersion);
            changes.fire(new BrokerChanged(id, false));
        }
        return b;
    }

    public void delete(long id) {
        delete(id, null);
    }

    public void delete(long id, Long expectedVersion) {
        Broker b = get(id);
        Versions.claim(em, b, b.getVersion(), expectedVersion, resource(b));
        em.createQuery("delete from MqttBinding m where m.broker.id = :id").setParameter("id", id).executeUpdate();
        em.remove(b);
        changes.fire(new BrokerChanged(id, true));
    }

    private static String resource(Broker b) {
        return "broker '" + b.getName() + "' (id " + b.getId() + ")";
    }

    private void requireFiles(BrokerSettings s) {
        if (!s.internalUser().isEmpty() && !integratedBroker.userExists(s.internalUser())) {
            throw new org.bmsmqtt.bms.shared.InvalidValueException("internalUser", "the integrated broker has no user '"
                    + s.internalUser() + "' (create it under /integrated-broker/users)");
        }
        certificates.requirePresent(s.caFile(), "caFile");
        certificates.requirePresent(s.clientCertFile(), "clientCertFile");
        certificates.requirePresent(s.clientKeyFile(), "clientKeyFile");
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
