package org.bmsmqtt.ra.outbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.session.BrokerSession;
import org.bmsmqtt.ra.session.InboundSink;
import org.bmsmqtt.ra.session.SessionRegistry;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pooled connection to one broker's shared session. Publishing while the session reconnects is buffered by the
 * session; a session that is closed under us is reported to the pool as a connection error so it lets go.
 */
public class MqttManagedConnection implements ManagedConnection {

    private final BrokerSpec spec;
    private final SessionRegistry sessions;
    private final InboundSink runtimeSink;
    private final BrokerSession session;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<MqttConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private PrintWriter logWriter;
    private volatile boolean destroyed;

    MqttManagedConnection(BrokerSpec spec, SessionRegistry sessions, InboundSink runtimeSink) {
        this.spec = spec;
        this.sessions = sessions;
        this.runtimeSink = runtimeSink;
        this.session = sessions.acquire(spec);
    }

    boolean serves(BrokerSpec requested) {
        return !destroyed && !session.isClosed() && spec.equals(requested);
    }

    void publish(Publication publication) throws ResourceException {
        try {
            session.publish(publication);
        } catch (IllegalStateException e) {
            if (session.isClosed()) {
                fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, null, e);
            }
            throw new ResourceException(e.getMessage(), e);
        }
    }

    void subscribe(String filter, int qos) throws ResourceException {
        try {
            session.subscribe(filter, qos, runtimeSink);
        } catch (IllegalArgumentException e) {
            throw new ResourceException("topicFilter: " + e.getMessage(), e);
        }
    }

    void unsubscribe(String filter) {
        session.unsubscribe(filter);
    }

    void closeSession() {
        sessions.forceClose(session);
        fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, null,
                new IllegalStateException("the session of broker " + spec.name() + " was closed"));
    }

    SessionStatus status() {
        return session.status();
    }

    BrokerSession session() {
        return session;
    }

    void handleClosed(MqttConnectionHandle handle) {
        handles.remove(handle);
        fire(ConnectionEvent.CONNECTION_CLOSED, handle, null);
    }

    private void fire(int type, Object handle, Exception error) {
        ConnectionEvent event = error == null ? new ConnectionEvent(this, type) : new ConnectionEvent(this, type, error);
        if (handle != null) {
            event.setConnectionHandle(handle);
        }
        for (ConnectionEventListener l : listeners) {
            switch (type) {
                case ConnectionEvent.CONNECTION_CLOSED -> l.connectionClosed(event);
                case ConnectionEvent.CONNECTION_ERROR_OCCURRED -> l.connectionErrorOccurred(event);
                default -> { }
            }
        }
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        MqttConnectionHandle handle = new MqttConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof MqttConnectionHandle handle)) {
            throw new ResourceException("not an MQTT connection handle: " + connection);
        }
        handle.associate(this);
        handles.add(handle);
    }

    @Override
    public void cleanup() {
        handles.forEach(h -> h.associate(null));
        handles.clear();
    }

    @Override
    public void destroy() {
        if (!destroyed) {
            destroyed = true;
            cleanup();
            sessions.release(session);
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("MQTT connections take no part in transactions");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("MQTT connections take no part in transactions");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "MQTT v5 broker";
            }

            @Override
            public String getEISProductVersion() {
                return "5";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return spec.username();
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
