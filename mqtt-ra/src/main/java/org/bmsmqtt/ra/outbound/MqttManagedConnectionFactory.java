package org.bmsmqtt.ra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import org.bmsmqtt.ra.adapter.MqttResourceAdapter;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttConnectionFactory;

import javax.security.auth.Subject;
import java.io.PrintWriter;
import java.util.Set;

/** Creates managed connections, each bound to the shared session of one broker spec. */
@ConnectionDefinition(
        connectionFactory = MqttConnectionFactory.class,
        connectionFactoryImpl = MqttConnectionFactoryImpl.class,
        connection = MqttConnection.class,
        connectionImpl = MqttConnectionHandle.class)
public class MqttManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient MqttResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) {
        return new MqttConnectionFactoryImpl(this, connectionManager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new ResourceException("the MQTT resource adapter runs only inside an application server");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        if (!(info instanceof BrokerRequest request)) {
            throw new ResourceException("getConnection(BrokerSpec) is required: no broker was given");
        }
        try {
            return new MqttManagedConnection(request.spec(), resourceAdapter.sessions(), resourceAdapter.runtimeLanes());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        if (!(info instanceof BrokerRequest request)) {
            return null;
        }
        for (Object candidate : candidates) {
            if (candidate instanceof MqttManagedConnection mc && mc.serves(request.spec())) {
                return mc;
            }
        }
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof MqttResourceAdapter mqtt)) {
            throw new ResourceException("expected the MQTT resource adapter, got " + ra);
        }
        this.resourceAdapter = mqtt;
    }

    // One factory per connection definition: identity is enough for the pool.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
