package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.BrokerSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * The open broker sessions of one resource adapter, shared by inbound activations and outbound connections.
 * Equal specs share one session; a session closes when its last user releases it. Two different specs never
 * connect with the same client id to the same broker (the broker would keep kicking one of them off).
 */
public final class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class.getName());

    private final ScheduledExecutorService scheduler;
    private final int publishBufferCapacity;
    private final long publishWaitMillis;
    private final Map<BrokerSpec, Entry> sessions = new HashMap<>();

    private static final class Entry {
        final BrokerSession session;
        int users;

        Entry(BrokerSession session) {
            this.session = session;
        }
    }

    public SessionRegistry(ScheduledExecutorService scheduler, int publishBufferCapacity, long publishWaitMillis) {
        this.scheduler = scheduler;
        this.publishBufferCapacity = publishBufferCapacity;
        this.publishWaitMillis = publishWaitMillis;
    }

    /** The session for this spec, opened (and its connect loop started) if it was not open. */
    public synchronized BrokerSession acquire(BrokerSpec spec) {
        Entry entry = sessions.get(spec);
        if (entry == null) {
            for (BrokerSpec open : sessions.keySet()) {
                if (open.endpointKey().equals(spec.endpointKey())) {
                    throw new IllegalStateException("client id " + spec.clientId() + " on " + spec.serverUri()
                            + " is already used by the session of broker '" + open.name()
                            + "' with other settings: close that one first or choose another client id");
                }
            }
            entry = new Entry(new BrokerSession(spec, scheduler, publishBufferCapacity, publishWaitMillis));
            sessions.put(spec, entry);
            LOG.info("MQTTRA0005 opening session " + spec);
            entry.session.start();
        }
        entry.users++;
        return entry.session;
    }

    public synchronized void release(BrokerSession session) {
        Entry entry = sessions.get(session.spec());
        if (entry == null || entry.session != session) {
            return;
        }
        if (--entry.users == 0) {
            sessions.remove(session.spec());
            LOG.info("MQTTRA0006 closing session of broker " + session.spec().name());
            session.close();
        }
    }

    /** Closes a session whoever still uses it; later users get a closed session and open a new one. */
    public synchronized void forceClose(BrokerSession session) {
        Entry entry = sessions.get(session.spec());
        if (entry != null && entry.session == session) {
            sessions.remove(session.spec());
            LOG.info("MQTTRA0010 closing session of broker " + session.spec().name() + " on request");
        }
        session.close();
    }

    public synchronized void closeAll() {
        sessions.values().forEach(e -> e.session.close());
        sessions.clear();
    }
}
