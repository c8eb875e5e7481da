package org.bmsmqtt.bms.integrated;

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
import jakarta.enterprise.event.Event;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.storage.DataFolder;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The integrated MQTT broker of this server: started at boot when its settings say so (before the broker registry
 * opens sessions, so an internal connection finds it), started, stopped and re-applied at run time. A failure (a
 * taken port, a bad keystore) is logged once with the reason, shown in {@link #status()} and in health, and the rest
 * of the product runs on. Users and permissions apply at once without a restart; listener settings restart it.
 * Data (journal, retained messages, sessions) lives in {@code <data folder>/broker}.
 * <p>
 * The start at boot runs on the server's executor, not in deployment: Artemis (its classes, the journal, the
 * acceptor) took 2-6 s of the deployment before the server said it was ready. Meanwhile the status is
 * {@code STARTING} (readiness {@code integrated-broker} DOWN), and the broker registry's start-up task waits for it
 * ({@link #awaitBoot}) before it opens any session, so an internal connection still finds it.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class IntegratedBroker {

    private static final Logger LOG = Logger.getLogger(IntegratedBroker.class.getName());

    @Inject
    private IntegratedBrokerService service;
    @Inject
    private Event<IntegratedBrokerRestarted> restarted;
    @Resource
    private ManagedExecutorService executor;

    private final ArtemisMqttBroker broker = new ArtemisMqttBroker(new BrokerUsers());
    private volatile IntegratedBrokerStatus.State state = IntegratedBrokerStatus.State.STOPPED;
    private volatile String reason = "not started";
    private volatile Instant since = Instant.now();
    private volatile IntegratedBrokerSettings settings;
    /** Counted down once the start at boot is over (started, failed, or not wanted). */
    private final CountDownLatch booted = new CountDownLatch(1);

    @PostConstruct
    void boot() {
        try {
            IntegratedBrokerConfig c = service.config();
            settings = c.settings();
            broker.usersChanged(service.accounts());
            if (settings.startAtBoot()) {
                set(IntegratedBrokerStatus.State.STARTING, "starting at boot");
                try {
                    executor.execute(() -> bootWith(c));
                } catch (RejectedExecutionException e) {
                    bootWith(c); // no executor to give it to: start it here, as before
                }
                return;
            }
            reason = "start at boot is off";
        } catch (RuntimeException e) {
            fail("BMS1103 integrated MQTT broker not started: " + e.getMessage());
        }
        booted.countDown();
    }

    /**
     * The start at boot, unless a stop or start through the API came first (then that one holds). With the settings
     * read in deployment: reading them again here raced the first start's seeding transaction (a settings change
     * saved meanwhile restarts it, see {@link #onChanged}).
     */
    private void bootWith(IntegratedBrokerConfig c) {
        try {
            synchronized (this) {
                if (state == IntegratedBrokerStatus.State.STARTING) {
                    startWith(c);
                }
            }
        } catch (RuntimeException e) {
            fail("BMS1103 integrated MQTT broker not started: " + e.getMessage());
        } finally {
            booted.countDown();
        }
    }

    /**
     * Waits until the start at boot is over (at most {@code max}): the broker registry opens the internal connections
     * after it. False when it is still going on.
     */
    public boolean awaitBoot(Duration max) throws InterruptedException {
        return booted.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts it with the stored settings; false (and status FAILED with the reason) when it cannot. */
    public synchronized boolean start() {
        if (broker.running()) {
            return true;
        }
        IntegratedBrokerConfig c = service.config();
        settings = c.settings();
        boolean ok = startWith(c);
        tellRestarted();
        return ok;
    }

    public synchronized void stop() {
        broker.stop();
        set(IntegratedBrokerStatus.State.STOPPED, "stopped on request");
        tellRestarted();
    }

    /** Stops and starts it with the stored settings (the API's apply). */
    public synchronized boolean restart() {
        broker.stop();
        IntegratedBrokerConfig c = service.config();
        settings = c.settings();
        boolean ok = startWith(c);
        tellRestarted();
        return ok;
    }

    public IntegratedBrokerStatus status() {
        IntegratedBrokerSettings s = settings;
        boolean running = broker.running();
        return new IntegratedBrokerStatus(state, reason, since, s == null ? "" : s.bindAddress(), s == null ? 0 : s.port(),
                s == null ? 0 : s.tlsPort(), s != null && s.authentication(), running ? broker.connectedClients() : 0,
                broker.messagesIn(), broker.messagesOut());
    }

    /** Settings changes restart a running broker; user changes apply to it as they are. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void onChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) IntegratedBrokerChanged change) {
        if (change.users()) {
            broker.usersChanged(service.accounts());
            LOG.info("BMS1105 integrated broker users applied");
        }
        if (change.settings()) {
            synchronized (this) {
                settings = service.config().settings();
                // a start at boot that has not run yet must not start with the settings read in deployment
                if (broker.running() || state == IntegratedBrokerStatus.State.STARTING) {
                    restart();
                }
            }
        }
    }

    /** Where the internal connection dials, and as whom: empty while the broker is not configured. */
    public InternalConnection internalConnection(String username) {
        IntegratedBrokerSettings s = settings;
        if (s == null) {
            s = service.config().settings();
        }
        return new InternalConnection(s.dialAddress(), s.port(), username, broker.users().internalPassword(username));
    }

    /** Host, port and credentials of the internal connection; the password is valid in this JVM only. */
    public record InternalConnection(String host, int port, String username, String password) {
        @Override
        public String toString() {
            return "mqtt://" + username + "@" + host + ":" + port;
        }
    }

    private boolean startWith(IntegratedBrokerConfig c) {
        IntegratedBrokerSettings s = c.settings();
        Path data = DataFolder.path(ConfigProvider.getConfig(IntegratedBroker.class.getClassLoader()));
        Path keystore = s.tlsPort() > 0 ? data.resolve("certs").resolve(s.tlsKeystoreFile()) : null;
        ArtemisMqttBroker.Options o = new ArtemisMqttBroker.Options(s.bindAddress(), s.port(), s.authentication(),
                s.tlsPort(), keystore, s.tlsPort() > 0 ? service.keystorePassword(c) : null, data.resolve("broker"));
        try {
            broker.start(o);
            set(IntegratedBrokerStatus.State.RUNNING, "listening on " + o);
            return true;
        } catch (IllegalStateException e) {
            fail("BMS1102 integrated MQTT broker cannot start: " + e.getMessage());
            return false;
        }
    }

    private void fail(String message) {
        LOG.severe(message);
        set(IntegratedBrokerStatus.State.FAILED, message.substring(message.indexOf(' ') + 1));
    }

    private void set(IntegratedBrokerStatus.State s, String why) {
        state = s;
        reason = why;
        since = Instant.now();
    }

    private void tellRestarted() {
        try {
            restarted.fire(new IntegratedBrokerRestarted(broker.running()));
        } catch (RuntimeException e) {
            LOG.warning("BMS1106 internal connections not told about the integrated broker: " + e);
        }
    }

    @PreDestroy
    synchronized void shutdown() { // after a start at boot still under way, not in the middle of it
        set(IntegratedBrokerStatus.State.STOPPED, "server shutting down");
        broker.stop();
    }
}
