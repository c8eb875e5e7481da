package org.bmsmqtt.ra.api;

import jakarta.resource.ResourceException;

/** A handle on one broker session. Close it when done; the session itself stays with the pool. */
public interface MqttConnection extends AutoCloseable {

    /**
     * Publishes, or buffers the message while the session is disconnected.
     *
     * @throws ResourceException when the buffer is full or the session is closed
     */
    void publish(Publication publication) throws ResourceException;

    /**
     * Adds a run-time subscription. Matching messages go to the endpoints activated in {@code runtime} mode.
     * The subscription is restored after every reconnect, until {@link #unsubscribe(String)}.
     */
    void subscribe(String topicFilter, int qos) throws ResourceException;

    void unsubscribe(String topicFilter) throws ResourceException;

    SessionStatus status();

    /** Tells {@code listener} about every state change of this broker's session, until removed. */
    void addStatusListener(SessionStatusListener listener);

    void removeStatusListener(SessionStatusListener listener);

    /**
     * Disconnects this broker's session for good, for every user of it (e.g. the broker was deleted or its settings
     * changed). The pool is told to drop the connections bound to it; a later {@code getConnection} opens a new one.
     */
    void closeSession() throws ResourceException;

    @Override
    void close() throws ResourceException;
}
