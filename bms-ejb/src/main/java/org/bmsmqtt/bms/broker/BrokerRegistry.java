package org.bmsmqtt.bms.broker;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.TransactionSupport;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.storage.DataFolder;
import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttConnection;
import org.bmsmqtt.ra.api.MqttConnectionFactory;
import org.bmsmqtt.ra.api.Publication;
import org.bmsmqtt.ra.api.SessionState;
import org.bmsmqtt.ra.api.SessionStatus;
import org.bmsmqtt.ra.api.TlsSpec;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The live side of the stored brokers: one session per enabled broker, opened at start-up without waiting for any
 * broker, and re-opened, closed or re-subscribed when a broker or binding changes (only the changed broker
 * reconnects). Sessions are named by the broker's id, which comes back on every message.
 * <p>
 * The connection factory names the resource adapter: {@code mqtt-ra} for the standalone RAR (Payara Micro),
 * {@code #mqtt-ra} inside the EAR, set with server-level configuration (see the README).
 */
@ConnectionFactoryDefinition(
        name = BrokerRegistry.CONNECTION_FACTORY,
        interfaceName = "org.bmsmqtt.ra.api.MqttConnectionFactory",
        resourceAdapter = "${MPCONFIG=bms.mqtt.outbound-resource-adapter:mqtt-ra}",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
@Singleton
@Startup
@DependsOn("DatapointEngine")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BrokerRegistry {

    public static final String CONNECTION_FACTORY = "java:app/bms/mqtt";
    private static final Logger LOG = Logger.getLogger(BrokerRegistry.class.getName());

    @Resource(lookup = CONNECTION_FACTORY)
    private MqttConnectionFactory connectionFactory;
    @PersistenceContext(unitName = "bms")
    private EntityManager em;
    @Inject
    private SecretCipher cipher;
    @Inject
    private DatapointEngine engine;
    @Inject
    private BrokerService brokers;

    private record Live(String name, BrokerSpec spec, MqttConnection connection, Set<String> subscribed) {
    }

    private final Map<Long, Live> live = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        bootstrapDefaultBroker();
        for (Broker b : brokers.list()) {
            open(b);
        }
    }

    /** The broker's session status; empty when it is disabled or unknown. */
    public Optional<SessionStatus> status(long brokerId) {
        return Optional.ofNullable(live.get(brokerId)).map(l -> l.connection().status());
    }

    /** The open sessions (enabled brokers) by id, with the broker's name: from memory, so also while the database is away. */
    public SortedMap<Long, String> openBrokers() {
        SortedMap<Long, String> open = new TreeMap<>();
        live.forEach((id, l) -> open.put(id, l.name()));
        return open;
    }

    public void publish(long brokerId, Publication publication) {
        Live l = live.get(brokerId);
        if (l == null) {
            LOG.fine(() -> "broker " + brokerId + " is not open: report not published");
            return;
        }
        try {
            l.connection().publish(publication);
        } catch (ResourceException e) {
            LOG.warning("BMS0201 report on " + publication.topic() + " to broker " + brokerId + " failed: "
                    + e.getMessage());
        }
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void onBrokerChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) BrokerChanged change) {
        engine.reload();
        close(change.brokerId());
        if (!change.deleted()) {
            Broker b = em.find(Broker.class, change.brokerId());
            if (b != null) {
                open(b);
            }
        }
    }

    public void onDatapointsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatapointsChanged change) {
        engine.reload();
        for (Long id : live.keySet()) {
            resubscribe(id);
        }
    }

    private void open(Broker b) {
        if (!b.isEnabled()) {
            return;
        }
        try {
            BrokerSpec spec = spec(b);
            MqttConnection c = connectionFactory.getConnection(spec);
            live.put(b.getId(), new Live(b.getName(), spec, c, ConcurrentHashMap.newKeySet()));
            resubscribe(b.getId());
            LOG.info("BMS0202 broker " + b.getName() + " (" + spec.serverUri() + ") opened; state " + c.status().state());
        } catch (ResourceException | RuntimeException e) {
            // Never block start-up or a configuration change: the broker's status says why.
            LOG.severe("BMS0203 broker " + b.getName() + " cannot be opened: " + e.getMessage());
        }
    }

    private void resubscribe(long brokerId) {
        Live l = live.get(brokerId);
        if (l == null) {
            return;
        }
        Set<String> wanted = engine.commandTopics(brokerId);
        try {
            for (String t : wanted) {
                if (l.subscribed().add(t)) {
                    l.connection().subscribe(t, 1);
                }
            }
            for (String t : new HashSet<>(l.subscribed())) {
                if (!wanted.contains(t)) {
                    l.connection().unsubscribe(t);
                    l.subscribed().remove(t);
                }
            }
        } catch (ResourceException e) {
            LOG.warning("BMS0204 subscriptions of broker " + brokerId + " not updated: " + e.getMessage());
        }
    }

    private void close(long brokerId) {
        Live l = live.remove(brokerId);
        if (l != null) {
            try {
                l.connection().closeSession(); // not just the handle: the pool would keep the session connected
                l.connection().close();
            } catch (ResourceException e) {
                LOG.fine("closing broker " + brokerId + ": " + e.getMessage());
            }
            LOG.info("BMS0205 broker " + l.spec().serverUri() + " closed");
        }
    }

    private BrokerSpec spec(Broker b) {
        String scheme = b.isTlsEnabled() ? "ssl" : "tcp";
        Path certs = DataFolder.path(ConfigProvider.getConfig(BrokerRegistry.class.getClassLoader())).resolve("certs");
        TlsSpec tls = new TlsSpec(b.tlsVersionList(), file(certs, b.getTlsCaFile()), "",
                file(certs, b.getTlsClientCertFile()), file(certs, b.getTlsClientKeyFile()),
                cipher.decrypt(b.getTlsKeyPasswordEnc()), b.isTlsHostnameVerification());
        return BrokerSpec.of(String.valueOf(b.getId()), scheme + "://" + b.getHost() + ":" + b.getPort(), b.getClientId())
                .withCredentials(b.getUsername(), cipher.decrypt(b.getPasswordEnc()))
                .withReconnectInterval(b.getReconnectInterval())
                .withTimings(b.getKeepAlive(), BrokerSpec.DEFAULT_CONNECT_TIMEOUT, BrokerSpec.DEFAULT_SESSION_EXPIRY)
                .withTls(tls);
    }

    private static String file(Path dir, String name) {
        return name == null || name.isEmpty() ? "" : dir.resolve(name).toString();
    }

    /** First start with an empty broker table: the broker of {@code bms.mqtt.*} becomes the broker "default". */
    private void bootstrapDefaultBroker() {
        var config = ConfigProvider.getConfig(BrokerRegistry.class.getClassLoader());
        Optional<String> uri = config.getOptionalValue("bms.mqtt.server-uri", String.class);
        if (uri.isEmpty() || !brokers.list().isEmpty()) {
            return;
        }
        java.net.URI u = java.net.URI.create(uri.get());
        String clientId = config.getOptionalValue("bms.mqtt.client-id", String.class)
                .orElseGet(() -> "bms-" + org.bmsmqtt.bms.datapoint.Origin.hostName());
        BrokerSettings s = new BrokerSettings("default", "brokers/default", u.getHost(), u.getPort(), clientId,
                config.getOptionalValue("bms.mqtt.username", String.class).orElse(""),
                config.getOptionalValue("bms.mqtt.password", String.class).orElse(""),
                config.getOptionalValue("bms.mqtt.reconnect-interval", Integer.class).orElse(5), 30,
                "ssl".equals(u.getScheme()), List.of(), "", "", "", "", true,
                BrokerSettings.DEFAULT_ANTI_ECHO_MILLIS, true);
        brokers.bootstrap(s);
        LOG.info("BMS0206 created broker 'default' (" + uri.get() + ") from bms.mqtt.* at first start");
    }

    @PreDestroy
    void stop() {
        for (Long id : Set.copyOf(live.keySet())) {
            close(id);
        }
    }

    /** For status views: whether a broker is connected right now. */
    public boolean connected(long brokerId) {
        return status(brokerId).map(s -> s.state() == SessionState.CONNECTED).orElse(false);
    }
}
