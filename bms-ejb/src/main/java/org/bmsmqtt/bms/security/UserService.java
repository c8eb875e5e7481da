package org.bmsmqtt.bms.security;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.bmsmqtt.bms.shared.ConflictException;
import org.bmsmqtt.bms.shared.DuplicateException;
import org.bmsmqtt.bms.shared.NotFoundException;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Users of the admin API: create, read, change password or roles, delete. There is always at least one admin: a
 * change that would leave none is refused ({@link ConflictException}). Every change reaches the in-memory
 * {@link UserDirectory} after commit.
 */
@Stateless
public class UserService {

    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private Event<UsersChanged> changes;

    private final PasswordHash hasher = new PasswordHash();

    public List<BmsUser> list() {
        return em.createQuery("select u from BmsUser u order by u.username", BmsUser.class).getResultList();
    }

    public BmsUser get(String username) {
        List<BmsUser> found = em.createQuery("select u from BmsUser u where u.username = :n", BmsUser.class)
                .setParameter("n", username).getResultList();
        if (found.isEmpty()) {
            throw new NotFoundException("username", "no user '" + username + "'");
        }
        return found.get(0);
    }

    public boolean none() {
        return em.createQuery("select count(u) from BmsUser u", Long.class).getSingleResult() == 0;
    }

    public BmsUser create(String username, String password, List<String> roles) {
        String name = UserInput.username(username);
        char[] secret = UserInput.password(password);
        Set<String> checkedRoles = UserInput.roles(roles);
        if (em.createQuery("select count(u) from BmsUser u where u.username = :n", Long.class)
                .setParameter("n", name).getSingleResult() > 0) {
            throw new DuplicateException("username", "a user '" + name + "' exists");
        }
        BmsUser u = new BmsUser(name, hash(secret), checkedRoles);
        em.persist(u);
        em.flush();
        changes.fire(new UsersChanged(name));
        return u;
    }

    /** Changes the password and/or the roles; a null leaves that part as it is. */
    public BmsUser update(String username, String password, List<String> roles) {
        char[] secret = password == null ? null : UserInput.password(password);
        Set<String> checkedRoles = roles == null ? null : UserInput.roles(roles);
        BmsUser u = get(username);
        if (checkedRoles != null && u.isAdmin() && !checkedRoles.contains(Role.ADMIN)) {
            requireAnotherAdmin(u, "roles", "'" + username + "' is the last admin: it keeps " + Role.ADMIN);
        }
        if (secret != null) {
            u.setPasswordHash(hash(secret));
        }
        if (checkedRoles != null) {
            u.setRoles(checkedRoles);
        }
        em.flush();
        changes.fire(new UsersChanged(username));
        return u;
    }

    public void delete(String username) {
        BmsUser u = get(username);
        if (u.isAdmin()) {
            requireAnotherAdmin(u, "username", "'" + username + "' is the last admin and cannot be deleted");
        }
        em.remove(u);
        em.flush();
        changes.fire(new UsersChanged(username));
    }

    /**
     * Locks every user row first, so two requests that each remove a different one of the last two admins are
     * serialized and the second one sees that only one admin is left.
     */
    private void requireAnotherAdmin(BmsUser self, String field, String message) {
        long others = em.createQuery("select u from BmsUser u", BmsUser.class)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList().stream()
                .filter(o -> o.isAdmin() && !o.getUsername().equals(self.getUsername())).count();
        if (others == 0) {
            throw new ConflictException(field, message);
        }
    }

    private String hash(char[] secret) {
        try {
            return hasher.hash(secret);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
