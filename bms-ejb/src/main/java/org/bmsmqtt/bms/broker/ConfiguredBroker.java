package org.bmsmqtt.bms.broker;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.TransactionSupport;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttConnectionFactory;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionStatus;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The one broker of the foundation: its settings come from MicroProfile Config ({@code bms.mqtt.*}). Opens the
 * session at start-up without waiting for the broker, subscribes the command topics and holds the connection
 * that report publications go through. (The broker registry with many stored brokers replaces it later.)
 * <p>
 * The connection factory names the resource adapter: {@code mqtt-ra} for the standalone RAR (Payara Micro),
 * {@code #mqtt-ra} ("the RAR of this application") inside the EAR, set with server-level configuration.
 */
@ConnectionFactoryDefinition(
        name = ConfiguredBroker.CONNECTION_FACTORY,
        interfaceName = "org.bmsmqtt.ra.api.MqttConnectionFactory",
        resourceAdapter = "${MPCONFIG=bms.mqtt.outbound-resource-adapter:mqtt-ra}",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ConfiguredBroker {

    public static final String CONNECTION_FACTORY = "java:app/bms/mqtt";
    private static final Logger LOG = Logger.getLogger(ConfiguredBroker.class.getName());

    @Resource(lookup = CONNECTION_FACTORY)
    private MqttConnectionFactory connectionFactory;

    @Inject
    @ConfigProperty(name = "bms.mqtt.server-uri", defaultValue = "tcp://127.0.0.1:1883")
    private String serverUri;
    @Inject
    @ConfigProperty(name = "bms.mqtt.client-id")
    private Optional<String> clientId;
    @Inject
    @ConfigProperty(name = "bms.mqtt.username")
    private Optional<String> username;
    @Inject
    @ConfigProperty(name = "bms.mqtt.password")
    private Optional<String> password;
    @Inject
    @ConfigProperty(name = "bms.mqtt.reconnect-interval", defaultValue = "5")
    private int reconnectIntervalSeconds;
    @Inject
    TopicScheme topics;

    private volatile MqttConnection connection;

    @PostConstruct
    void open() {
        BrokerSpec spec = BrokerSpec.of("default", serverUri, clientId.orElseGet(ConfiguredBroker::defaultClientId))
                .withCredentials(username.orElse(""), password.orElse(""))
                .withReconnectInterval(reconnectIntervalSeconds);
        try {
            connection = connectionFactory.getConnection(spec);
            connection.subscribe(topics.commandFilter(), topics.qos());
            LOG.info("BMS0200 MQTT broker " + serverUri + ": listening on " + topics.commandFilter()
                    + ", reporting on " + topics.reportTopic("<datapoint>") + "; state " + connection.status().state());
        } catch (ResourceException | RuntimeException e) {
            // Never block start-up: the product runs without its broker and says why.
            LOG.severe("BMS0201 MQTT broker " + serverUri + " not usable: " + e.getMessage());
        }
    }

    public void publish(Publication publication) throws ResourceException {
        MqttConnection c = connection;
        if (c == null) {
            throw new ResourceException("no MQTT connection: see the start-up log (BMS0201)");
        }
        c.publish(publication);
    }

    public Optional<SessionStatus> status() {
        return Optional.ofNullable(connection).map(MqttConnection::status);
    }

    @PreDestroy
    void close() {
        MqttConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.unsubscribe(topics.commandFilter());
                c.close();
            } catch (ResourceException e) {
                LOG.fine("closing the MQTT connection: " + e.getMessage());
            }
        }
    }

    private static String defaultClientId() {
        try {
            return "bms-" + InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "bms-connector";
        }
    }
}
