package org.bmsmqtt.bms.integrated;

import io.netty.handler.codec.mqtt.MqttMessageType;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.security.impl.SecurityStoreImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An embedded Apache Artemis that speaks only MQTT (3.1, 3.1.1 and 5): one plain listener, optionally one TLS
 * listener, message persistence in a folder of its own (retained messages and persistent sessions survive a restart),
 * users and topic permissions from {@link BrokerUsers}. Knows nothing of the container: the BMS starts it from
 * {@link IntegratedBroker}, tests and the benchmark start it directly.
 * <p>
 * Artemis's address syntax is set to MQTT's ({@code /}, {@code +}, {@code #}), so a core address is the MQTT topic
 * and permissions are checked on the topic as the client wrote it.
 */
public final class ArtemisMqttBroker {

    /** Where and how to listen. {@code tlsPort} 0: no TLS listener. Paths are absolute. */
    public record Options(String bindAddress, int port, boolean authentication, int tlsPort, Path keystore,
                          String keystorePassword, Path dataFolder) {
        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(dataFolder, "dataFolder");
        }

        @Override
        public String toString() { // never the keystore password
            return "mqtt://" + bindAddress + ":" + port + (tlsPort > 0 ? " and mqtts://" + bindAddress + ":" + tlsPort : "")
                    + (authentication ? "" : " (authentication off)");
        }
    }

    private static final Logger LOG = Logger.getLogger(ArtemisMqttBroker.class.getName());
    /**
     * Artemis's audit loggers say INFO for every message and every connection: held here (JUL keeps loggers weakly)
     * and set to WARNING at every start, so they stay quiet whichever slf4j provider routes them to the server log.
     */
    private static final java.util.List<Logger> AUDIT = java.util.stream.Stream.of("org.apache.activemq.audit",
            "org.apache.activemq.audit.base", "org.apache.activemq.audit.message", "org.apache.activemq.audit.resource")
            .map(Logger::getLogger).toList();

    private final BrokerUsers users;
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private volatile ActiveMQServer server;
    private volatile Options options;

    public ArtemisMqttBroker(BrokerUsers users) {
        this.users = users;
    }

    /**
     * Starts the broker; a taken port or an unreadable keystore is an {@link IllegalStateException} with a message an
     * operator can act on, and nothing is left running.
     */
    public synchronized void start(Options o) {
        if (server != null) {
            if (server.isActive()) {
                throw new IllegalStateException("already running on " + options);
            }
            // Artemis stopped by itself (its critical analyzer, an I/O error on the journal): without this the
            // broker could not be started again until the application is redeployed
            LOG.warning("BMS1107 the integrated MQTT broker on " + options + " had stopped by itself (Artemis state "
                    + server.getState() + "); starting a new one");
            stopQuietly(server);
            server = null;
        }
        checkFree(o.bindAddress(), o.port(), "port");
        if (o.tlsPort() > 0) {
            checkFree(o.bindAddress(), o.tlsPort(), "tlsPort");
            if (o.keystore() == null || !o.keystore().toFile().canRead()) {
                throw new IllegalStateException("the TLS listener's keystore " + o.keystore() + " cannot be read");
            }
        }
        AUDIT.forEach(l -> l.setLevel(Level.WARNING));
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("bms-integrated");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        Path data = o.dataFolder();
        c.setJournalDirectory(data.resolve("journal").toString());
        c.setBindingsDirectory(data.resolve("bindings").toString());
        c.setPagingDirectory(data.resolve("paging").toString());
        c.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(data.toString());
        // Like mosquitto: a message is on disk when the page cache has it (a restart of the server keeps it; a
        // power cut may lose the last ones). A sync per QoS 1 message would cap throughput at the disk's flush rate.
        c.setJournalSyncNonTransactional(false);
        c.setJournalSyncTransactional(false);
        c.setJMXManagementEnabled(false);
        c.setSecurityEnabled(o.authentication());
        c.setGracefulShutdownEnabled(false);
        c.setWildCardConfiguration(new WildcardConfiguration().setDelimiter('/').setSingleWord('+').setAnyWords('#'));
        // Artemis's usual dead-letter and expiry addresses (no queue: such messages are dropped); without them it
        // warns once per topic and subscription (AMQ222165/222166)
        c.addAddressSetting("#", new AddressSettings().setAutoCreateAddresses(true).setAutoCreateQueues(true)
                .setDeadLetterAddress(SimpleString.of("DLA")).setExpiryAddress(SimpleString.of("ExpiryQueue")));
        try {
            c.addAcceptorConfiguration("mqtt", "tcp://" + o.bindAddress() + ":" + o.port()
                    + "?protocols=MQTT;tcpNoDelay=true");
            if (o.tlsPort() > 0) {
                c.addAcceptorConfiguration("mqtts", "tcp://" + o.bindAddress() + ":" + o.tlsPort()
                        + "?protocols=MQTT;tcpNoDelay=true;sslEnabled=true;enabledProtocols=TLSv1.2,TLSv1.3;keyStorePath="
                        + o.keystore() + ";keyStorePassword=" + o.keystorePassword());
            }
        } catch (Exception e) {
            throw new IllegalStateException("the listener settings are not valid: " + e.getMessage(), e);
        }
        ActiveMQServer s = new ActiveMQServerImpl(c, users);
        try {
            s.start();
            if (!s.waitForActivation(30, TimeUnit.SECONDS) || !s.isActive()) {
                throw new IllegalStateException("Artemis did not become active (a listener failed: see the log)");
            }
        } catch (Exception e) {
            stopQuietly(s);
            throw e instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("Artemis did not start: " + e.getMessage(), e);
        }
        s.getRemotingService().addIncomingInterceptor((MQTTInterceptor) (packet, connection) -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                messagesIn.increment();
            }
            return true;
        });
        s.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) (packet, connection) -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                messagesOut.increment();
            }
            return true;
        });
        server = s;
        options = o;
        LOG.info("BMS1100 integrated MQTT broker listening on " + o);
    }

    public synchronized void stop() {
        ActiveMQServer s = server;
        server = null;
        if (s != null) {
            stopQuietly(s);
            LOG.info("BMS1101 integrated MQTT broker stopped");
        }
    }

    /** The Artemis server while one exists (tests). */
    ActiveMQServer artemis() {
        return server;
    }

    public boolean running() {
        ActiveMQServer s = server;
        return s != null && s.isActive();
    }

    public Options options() {
        return options;
    }

    public int connectedClients() {
        ActiveMQServer s = server;
        return s == null ? 0 : s.getRemotingService().getConnections().size();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    public BrokerUsers users() {
        return users;
    }

    /**
     * New users and permissions, at once: the caches Artemis keeps of earlier checks are dropped, and the connections
     * of users that are gone, disabled or have a new password are closed (they must log in again, or cannot).
     */
    public void usersChanged(Map<String, BrokerAccount> fresh) {
        Map<String, BrokerAccount> before = users.accounts();
        users.replace(fresh);
        Set<String> kick = new HashSet<>();
        before.forEach((name, old) -> {
            BrokerAccount now = fresh.get(name);
            if (now == null || !now.enabled() || !now.passwordHash().equals(old.passwordHash())) {
                kick.add(name);
            }
        });
        ActiveMQServer s = server;
        if (s == null) {
            return;
        }
        if (s.getSecurityStore() instanceof SecurityStoreImpl store) {
            store.invalidateAuthenticationCache();
            store.invalidateAuthorizationCache();
        }
        if (!kick.isEmpty() && s.getConfiguration().isSecurityEnabled()) {
            closeConnectionsOf(s, kick);
        }
    }

    private static void closeConnectionsOf(ActiveMQServer s, Set<String> usernames) {
        Set<Object> ids = new HashSet<>();
        for (ServerSession session : s.getSessions()) {
            if (session.getUsername() != null && usernames.contains(session.getUsername())) {
                ids.add(session.getConnectionID());
            }
        }
        for (RemotingConnection c : s.getRemotingService().getConnections()) {
            if (ids.contains(c.getID())) {
                s.getRemotingService().removeConnection(c.getID());
                c.fail(new ActiveMQSecurityException("the user's access to the integrated broker changed"));
                LOG.info("BMS1104 closed a connection of a changed broker user (" + c.getRemoteAddress() + ")");
            }
        }
    }

    /** A clear message for the one failure operators meet most: the port is taken (here by mosquitto on 1883). */
    private static void checkFree(String host, int port, String field) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException(field + " " + port + " on " + host + " is not available (" + e.getMessage()
                    + "): another program listens there, e.g. a mosquitto on 1883 - choose another port");
        }
    }

    private static void stopQuietly(ActiveMQServer s) {
        try {
            s.stop();
        } catch (Exception e) {
            LOG.fine("stopping Artemis: " + e);
        }
    }
}
