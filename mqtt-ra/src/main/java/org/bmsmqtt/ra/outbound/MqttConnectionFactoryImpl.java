package org.bmsmqtt.ra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttConnectionFactory;

import javax.naming.Reference;

/** What applications look up or inject: asks the server's pool for a connection to a broker. */
public class MqttConnectionFactoryImpl implements MqttConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final MqttManagedConnectionFactory mcf;
    private final transient ConnectionManager connectionManager;
    private Reference reference;

    MqttConnectionFactoryImpl(MqttManagedConnectionFactory mcf, ConnectionManager connectionManager) {
        this.mcf = mcf;
        this.connectionManager = connectionManager;
    }

    @Override
    public MqttConnection getConnection(BrokerSpec broker) throws ResourceException {
        if (broker == null) {
            throw new ResourceException("broker: must not be null");
        }
        return (MqttConnection) connectionManager.allocateConnection(mcf, new BrokerRequest(broker));
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
