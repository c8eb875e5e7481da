package org.bmsmqtt.bms.knx;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.NotFoundException;

import java.util.List;

/** Stored KNX connections: create, read, update, delete. Every change is applied live by the {@link KnxGateway}. */
@Stateless
public class KnxConnectionService {

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private Event<KnxConnectionChanged> changes;

    public List<KnxConnection> list() {
        return em.createQuery("select c from KnxConnection c order by c.name", KnxConnection.class).getResultList();
    }

    public KnxConnection get(long id) {
        KnxConnection c = em.find(KnxConnection.class, id);
        if (c == null) {
            throw new NotFoundException("id", "no KNX connection with id " + id);
        }
        return c;
    }

    public KnxConnection create(KnxConnectionSettings s) {
        requireUniqueName(s.name(), null);
        KnxConnection c = new KnxConnection(s);
        em.persist(c);
        em.flush();
        changes.fire(new KnxConnectionChanged(c.getId(), false));
        return c;
    }

    public KnxConnection update(long id, KnxConnectionSettings s) {
        KnxConnection c = get(id);
        requireUniqueName(s.name(), id);
        c.apply(s);
        em.flush();
        changes.fire(new KnxConnectionChanged(id, false));
        return c;
    }

    /** Stop (false) or start (true): stored, so it holds across restarts; the gateway closes or opens the link. */
    public KnxConnection setEnabled(long id, boolean enabled) {
        KnxConnection c = get(id);
        if (c.settings().enabled() != enabled) {
            c.setEnabled(enabled);
            em.flush();
            changes.fire(new KnxConnectionChanged(id, false));
        }
        return c;
    }

    /** Deletes the connection and, with it, every KNX binding on it. */
    public void delete(long id) {
        KnxConnection c = get(id);
        em.createQuery("delete from KnxBinding b where b.connection.id = :id").setParameter("id", id).executeUpdate();
        em.remove(c);
        changes.fire(new KnxConnectionChanged(id, true));
    }

    private void requireUniqueName(String name, Long self) {
        for (KnxConnection c : em.createQuery("select c from KnxConnection c where c.name = :n", KnxConnection.class)
                .setParameter("n", name).getResultList()) {
            if (!c.getId().equals(self)) {
                throw new DuplicateException("name", "a KNX connection named '" + name + "' exists");
            }
        }
    }
}
