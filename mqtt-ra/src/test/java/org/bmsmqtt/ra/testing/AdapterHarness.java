package org.bmsmqtt.ra.testing;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.bmsmqtt.ra.adapter.MqttResourceAdapter;
import org.bmsmqtt.ra.api.MqttConnectionFactory;
import org.bmsmqtt.ra.inbound.MqttActivationSpec;
import org.bmsmqtt.ra.outbound.MqttManagedConnectionFactory;

import java.util.Timer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The resource adapter outside any server, Artemis-RA style: a small bootstrap context with a thread-pool work
 * manager, endpoint activation with test endpoint factories, and an unpooled connection manager for outbound.
 */
public final class AdapterHarness implements AutoCloseable {

    private final ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "test-work");
        t.setDaemon(true);
        return t;
    });
    private final MqttResourceAdapter adapter = new MqttResourceAdapter();
    private final PoolWorkManager workManager = new PoolWorkManager(workers);

    public AdapterHarness() {
        this(a -> { });
    }

    /** With adapter settings of the test's own (set before the adapter starts). */
    public AdapterHarness(java.util.function.Consumer<MqttResourceAdapter> settings) {
        settings.accept(adapter);
        adapter.start(new TestBootstrapContext());
    }

    public MqttResourceAdapter adapter() {
        return adapter;
    }

    /** Activates {@code endpoints} with {@code spec}; returns at once (the session connects in the background). */
    public void activate(LatchEndpointFactory endpoints, MqttActivationSpec spec) throws ResourceException {
        spec.setResourceAdapter(adapter);
        adapter.endpointActivation(endpoints, spec);
    }

    public void deactivate(LatchEndpointFactory endpoints, MqttActivationSpec spec) {
        adapter.endpointDeactivation(endpoints, spec);
    }

    /** How many Works the adapter has scheduled so far. */
    public long scheduledWorks() {
        return workManager.scheduled();
    }

    public MqttConnectionFactory connectionFactory() throws ResourceException {
        MqttManagedConnectionFactory mcf = new MqttManagedConnectionFactory();
        mcf.setResourceAdapter(adapter);
        return (MqttConnectionFactory) mcf.createConnectionFactory(new UnpooledConnectionManager());
    }

    @Override
    public void close() {
        adapter.stop();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A new managed connection per request: enough to exercise the outbound path without a pool. */
    private static final class UnpooledConnectionManager implements ConnectionManager {
        @Override
        public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
                throws ResourceException {
            ManagedConnection mc = mcf.createManagedConnection(null, info);
            mc.addConnectionEventListener(new jakarta.resource.spi.ConnectionEventListener() {
                @Override
                public void connectionClosed(jakarta.resource.spi.ConnectionEvent event) {
                    try {
                        mc.destroy();
                    } catch (ResourceException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void localTransactionStarted(jakarta.resource.spi.ConnectionEvent event) {
                }

                @Override
                public void localTransactionCommitted(jakarta.resource.spi.ConnectionEvent event) {
                }

                @Override
                public void localTransactionRolledback(jakarta.resource.spi.ConnectionEvent event) {
                }

                @Override
                public void connectionErrorOccurred(jakarta.resource.spi.ConnectionEvent event) {
                }
            });
            return mc.getConnection(null, info);
        }
    }

    private final class TestBootstrapContext implements BootstrapContext {
        @Override
        public WorkManager getWorkManager() {
            return workManager;
        }

        @Override
        public XATerminator getXATerminator() {
            return null;
        }

        @Override
        public Timer createTimer() {
            return new Timer(true);
        }

        @Override
        public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
            return false;
        }

        @Override
        public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
            return null;
        }
    }
}
