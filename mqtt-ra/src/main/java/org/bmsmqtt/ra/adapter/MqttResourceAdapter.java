package org.bmsmqtt.ra.adapter;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import org.bmsmqtt.ra.inbound.DeliveryLanes;
import org.bmsmqtt.ra.inbound.InboundActivation;
import org.bmsmqtt.ra.inbound.MqttActivationSpec;
import org.bmsmqtt.ra.session.SessionRegistry;

import javax.transaction.xa.XAResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The MQTT v5 resource adapter: holds the broker sessions, shared by inbound endpoints and outbound connections.
 * Nothing here knows about the application using it.
 */
@Connector(
        displayName = "MQTT v5 resource adapter",
        description = "MQTT v5 connections to many brokers at once: inbound message endpoints and outbound publishing",
        vendorName = "bms-mqtt",
        eisType = "MQTT",
        version = "0.1",
        licenseRequired = true,
        licenseDescription = "GPL-3.0-or-later",
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
public class MqttResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(MqttResourceAdapter.class.getName());

    @ConfigProperty(defaultValue = "1000", description = "Publications that may wait per session: while its broker is "
            + "away, or while the broker's in-flight window (its Receive Maximum) is full")
    private Integer publishBufferCapacity = 1000;
    @ConfigProperty(defaultValue = "10000", description = "How long a publisher waits for room in a full publish queue "
            + "of a connected session before the publication is refused (back-pressure instead of loss)")
    private Integer publishWaitMillis = 10_000;
    @ConfigProperty(defaultValue = "4", description = "Topics delivered in parallel to runtime-mode endpoints")
    private Integer runtimeDeliveryLanes = 4;

    private ScheduledExecutorService scheduler;
    private SessionRegistry sessions;
    private DeliveryLanes runtimeLanes;
    private WorkManager workManager;
    private final Map<MessageEndpointFactory, InboundActivation> activations = new ConcurrentHashMap<>();
    private final List<MessageEndpointFactory> runtimeEndpoints = new CopyOnWriteArrayList<>();
    /** The first of runtimeEndpoints, kept up to date by every change: asked for once per delivered message. */
    private volatile Optional<MessageEndpointFactory> runtimeEndpoint = Optional.empty();

    @Override
    public void start(BootstrapContext context) {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(4, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("mqtt-ra-session-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        scheduler = pool;
        sessions = new SessionRegistry(scheduler, publishBufferCapacity, publishWaitMillis);
        WorkManager workManager = context.getWorkManager();
        runtimeLanes = new DeliveryLanes(workManager, this::runtimeEndpoint, scheduler, runtimeDeliveryLanes, 10_000);
        this.workManager = workManager;
        LOG.info("MQTTRA0000 MQTT resource adapter started");
    }

    @Override
    public void stop() {
        activations.values().forEach(InboundActivation::stop);
        activations.clear();
        runtimeEndpoints.clear();
        runtimeEndpointsChanged();
        if (sessions != null) {
            sessions.closeAll();
        }
        if (runtimeLanes != null) {
            runtimeLanes.stop();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        LOG.info("MQTTRA0009 MQTT resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec activationSpec)
            throws ResourceException {
        MqttActivationSpec spec = (MqttActivationSpec) activationSpec;
        spec.validate();
        if (spec.isRuntimeMode()) {
            runtimeEndpoints.add(factory);
            runtimeEndpointsChanged();
            LOG.info("MQTTRA0008 endpoint " + factory.getActivationName() + " receives run-time subscriptions");
            return;
        }
        InboundActivation activation = new InboundActivation(factory, spec, sessions, workManager, scheduler);
        try {
            activation.start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        activations.put(factory, activation);
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec activationSpec) {
        if (runtimeEndpoints.remove(factory)) {
            runtimeEndpointsChanged();
            if (runtimeLanes != null) {
                runtimeLanes.endpointGone(factory); // the lanes keep an endpoint between messages
            }
        }
        InboundActivation activation = activations.remove(factory);
        if (activation != null) {
            activation.stop();
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) throws ResourceException {
        return new XAResource[0];
    }

    /** Used by outbound connections: the shared sessions. */
    public SessionRegistry sessions() {
        if (sessions == null) {
            throw new IllegalStateException("the MQTT resource adapter is not started");
        }
        return sessions;
    }

    /** Where messages of run-time subscriptions go. */
    public DeliveryLanes runtimeLanes() {
        return runtimeLanes;
    }

    /** Asked by every lane before each delivery: no stream per message. */
    private Optional<MessageEndpointFactory> runtimeEndpoint() {
        return runtimeEndpoint;
    }

    private synchronized void runtimeEndpointsChanged() {
        Object[] current = runtimeEndpoints.toArray(); // one consistent snapshot of the copy-on-write list
        runtimeEndpoint = current.length == 0 ? Optional.empty() : Optional.of((MessageEndpointFactory) current[0]);
    }

    public Integer getPublishBufferCapacity() { return publishBufferCapacity; }
    public void setPublishBufferCapacity(Integer v) { publishBufferCapacity = v; }
    public Integer getPublishWaitMillis() { return publishWaitMillis; }
    public void setPublishWaitMillis(Integer v) { publishWaitMillis = v; }
    public Integer getRuntimeDeliveryLanes() { return runtimeDeliveryLanes; }
    public void setRuntimeDeliveryLanes(Integer v) { runtimeDeliveryLanes = v; }

    // A resource adapter is a JavaBean compared by identity: one per deployment.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

}
