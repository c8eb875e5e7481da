package org.bmsmqtt.ra.outbound;

import jakarta.resource.ResourceException;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.api.SessionStatusListener;

/** The application's handle; the pool may move it between managed connections of the same broker. */
public class MqttConnectionHandle implements MqttConnection {

    private volatile MqttManagedConnection managed;

    MqttConnectionHandle(MqttManagedConnection managed) {
        this.managed = managed;
    }

    void associate(MqttManagedConnection newManaged) {
        this.managed = newManaged;
    }

    @Override
    public void publish(Publication publication) throws ResourceException {
        open().publish(publication);
    }

    @Override
    public void subscribe(String topicFilter, int qos) throws ResourceException {
        open().subscribe(topicFilter, qos);
    }

    @Override
    public void unsubscribe(String topicFilter) throws ResourceException {
        open().unsubscribe(topicFilter);
    }

    @Override
    public SessionStatus status() {
        try {
            return open().status();
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void addStatusListener(SessionStatusListener listener) {
        try {
            open().session().addStatusListener(listener);
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void removeStatusListener(SessionStatusListener listener) {
        MqttManagedConnection current = managed;
        if (current != null) {
            current.session().removeStatusListener(listener);
        }
    }

    @Override
    public void closeSession() throws ResourceException {
        open().closeSession();
    }

    @Override
    public void close() {
        MqttManagedConnection current = managed;
        managed = null;
        if (current != null) {
            current.handleClosed(this);
        }
    }

    private MqttManagedConnection open() throws ResourceException {
        MqttManagedConnection current = managed;
        if (current == null) {
            throw new ResourceException("this MQTT connection is closed");
        }
        return current;
    }
}
