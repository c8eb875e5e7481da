package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.exception.BACnetException;
import com.serotonin.bacnet4j.type.primitive.Null;
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
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.bmsmqtt.bms.datapoint.BacnetWrites;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.datapoint.FieldInput;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live BACnet/IP network: opens the stored local device without blocking start-up (on its own control thread,
 * retried every {@value #RETRY_SECONDS} s while it fails), follows every binding through a {@link BacnetLink}, hands
 * device values to the engine and the engine's commands to the devices ({@link BacnetWrites}). Configuration changes
 * apply after commit: a network change reopens the device, a binding change touches that binding only.
 */
@Singleton
@Startup
@DependsOn({"DatapointEngine", "ClusterRole"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BacnetNetwork {

    static final int RETRY_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(BacnetNetwork.class.getName());
    /** The engine's name for this source of a datapoint's value (one BACnet binding per datapoint). */
    private static final String SOURCE = "bacnet";

    /** DISABLED (not configured or switched off), OPENING, OPEN, FAILED (with the reason; retried). */
    public record Status(String state, String reason, Instant since, String localAddress, int devices, int bindings) {
    }

    @Inject
    private BacnetService config;
    @Inject
    private DatapointEngine engine;
    @Inject
    private org.bmsmqtt.bms.cluster.ClusterRole role;
    private volatile FieldInput input;
    @Resource
    private ManagedThreadFactory threads;
    @Inject
    @ConfigProperty(name = "bms.bacnet.cov-lifetime-seconds", defaultValue = "300")
    private int covLifetimeSeconds;

    /** Opens, closes and reconfigures: one at a time, in order, never on a caller's thread. */
    private ScheduledExecutorService control;
    private ScheduledExecutorService scheduler;
    private ExecutorService writer;
    private volatile BacnetStack stack;
    private volatile BacnetLink link;
    private volatile Status status = new Status("DISABLED", "no BACnet network configured", Instant.now(), null, 0, 0);
    private volatile java.util.concurrent.ScheduledFuture<?> retry;
    private final BacnetCounters counters = new BacnetCounters();

    @PostConstruct
    void start() {
        control = Executors.newSingleThreadScheduledExecutor(threads);
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, threads);
        pool.setRemoveOnCancelPolicy(true); // renewals and polls are rescheduled often: do not keep cancelled ones
        scheduler = pool;
        writer = Executors.newSingleThreadExecutor(threads);
        // An object of its own, not this bean implementing the interface: that would make BacnetWrites the bean's
        // only (local) view and hide its other methods, observers included, from the container.
        engine.bacnetWrites(new BacnetWrites() {
            @Override
            public void command(long datapointId, DataType type, String value) {
                BacnetNetwork.this.command(datapointId, type, value);
            }

            @Override
            public boolean relinquish(long datapointId) {
                return BacnetNetwork.this.relinquish(datapointId);
            }
        });
        control.execute(this::reopen);
    }

    @PreDestroy
    void stop() {
        engine.bacnetWrites(null);
        control.execute(this::close);
        control.shutdown();
        try {
            control.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        writer.shutdownNow();
    }

    public Status status() {
        Status s = status;
        BacnetLink l = link;
        return l == null ? s : new Status(s.state(), s.reason(), s.since(), s.localAddress(), l.devices().size(),
                s.bindings());
    }

    /** Devices that answered a Who-Is (or announced themselves); empty when the network is not open. */
    public List<BacnetLink.DeviceView> devices() {
        BacnetLink l = link;
        return l == null ? List.of() : l.devices();
    }

    /** Asks every device to announce itself again. */
    public void discover() {
        BacnetLink l = requireOpen();
        l.discover();
    }

    /** Values, polls and writes since the server started. */
    public BacnetCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /** How many bindings are in each mode now (COV, POLLING, UNREACHABLE, ...). */
    public java.util.Map<String, Long> bindingModes() {
        BacnetLink l = link;
        return l == null ? java.util.Map.of() : l.modes();
    }

    /** A discovered device's objects with their names, read from it now. */
    public List<BacnetLink.ObjectView> objects(int deviceInstance) {
        BacnetLink l = requireOpen();
        try {
            List<BacnetLink.ObjectView> list = l.objects(deviceInstance);
            if (list == null) {
                throw new org.bmsmqtt.bms.shared.NotFoundException("deviceInstance",
                        "device " + deviceInstance + " has not been discovered");
            }
            return list;
        } catch (BACnetException e) {
            throw new org.bmsmqtt.bms.shared.ConflictException("deviceInstance",
                    "device " + deviceInstance + " did not list its objects: " + e.getMessage());
        }
    }

    /** The live status of a datapoint's binding, null when the network is not open or the datapoint not bound. */
    public BindingStatus bindingStatus(long datapointId) {
        BacnetLink l = link;
        return l == null ? null : l.status(datapointId);
    }

    // ---- the engine's BacnetWrites: called on the engine's threads (not through the container); queue only ----

    public void command(long datapointId, DataType type, String value) {
        BacnetLink l = link;
        BacnetBindingSettings s = l == null ? null : l.settings(datapointId);
        if (s == null) {
            return;
        }
        try {
            l.write(datapointId, BacnetValues.toBacnet(value, type, s.objectType()))
                    .exceptionally(e -> writeFailed(datapointId, s, e));
        } catch (InvalidValueException e) {
            engine.fieldWriteFailed(datapointId, "BACnet write of " + target(s) + " refused: " + e.getMessage());
        }
    }

    /** Kept in the binding's status (by the link) and counted on the datapoint with the reason, logged once there. */
    private Void writeFailed(long datapointId, BacnetBindingSettings s, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        String why = cause instanceof Exception x ? BacnetLink.describe(x) : String.valueOf(cause);
        LOG.log(Level.FINE, "BACnet write of datapoint " + datapointId + " failed", cause);
        engine.fieldWriteFailed(datapointId, "BACnet write of " + target(s) + " failed: " + why);
        return null;
    }

    private static String target(BacnetBindingSettings s) {
        if (s == null) {
            return "a binding removed meanwhile";
        }
        return BacnetBindingSettings.propertyText(s.property()) + " of " + s.objectType().text() + " "
                + s.objectInstance() + " on device " + s.deviceInstance()
                + (s.writePriority() == null ? "" : " at priority " + s.writePriority());
    }

    /** Relinquishes the datapoint's priority; false when the network is not open or the datapoint not bound. */
    public boolean relinquish(long datapointId) {
        BacnetLink l = link;
        if (l == null || !l.isBound(datapointId)) {
            return false;
        }
        BacnetBindingSettings s = l.settings(datapointId);
        l.write(datapointId, Null.instance).exceptionally(e -> writeFailed(datapointId, s, e));
        return true;
    }

    // ---- configuration changes, after commit ----

    public void onBacnetChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) BacnetChanged change) {
        if (change.datapointId() == null) {
            control.execute(this::reopen);
        } else {
            rebind(change.datapointId());
        }
    }

    public void onDatapointsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatapointsChanged change) {
        rebind(change.datapointId()); // a deleted datapoint took its binding with it (ON DELETE CASCADE)
    }

    /** A configuration import: every binding is compared with the stored ones at once (one query, not one each). */
    public void onImported(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConfigurationImported change) {
        control.execute(() -> {
            BacnetLink l = link;
            if (l == null) {
                return;
            }
            java.util.Map<Long, BacnetBindingSettings> all = config.bindingSettings();
            for (Long id : l.boundDatapoints()) {
                if (!all.containsKey(id)) {
                    unbound(l, id);
                }
            }
            all.forEach((id, s) -> {
                if (!s.equals(l.settings(id))) {
                    l.put(id, s);
                }
            });
            countBindings();
        });
    }

    private void rebind(long datapointId) {
        control.execute(() -> {
            BacnetLink l = link;
            if (l == null) {
                return; // not open: every binding is loaded when it opens
            }
            BacnetBindingSettings s = loadBinding(datapointId);
            if (s == null) {
                unbound(l, datapointId);
            } else if (!s.equals(l.settings(datapointId))) {
                l.put(datapointId, s);
            }
            countBindings();
        });
    }

    // ---- on the control thread ----

    /** Only the main member of a cluster holds the BACnet network. */
    public void onRoleChanged(@Observes @jakarta.annotation.Priority(200) org.bmsmqtt.bms.cluster.RoleChanged change) {
        control.execute(this::reopen);
    }

    private void reopen() {
        close();
        if (!role.isMain()) {
            setStatus("BACKUP", "this cluster member is a backup: the main holds the BACnet network", null);
            return;
        }
        BacnetNetworkSettings n = loadNetwork();
        if (n == null || !n.enabled()) {
            setStatus("DISABLED", n == null ? "no BACnet network configured" : "switched off", null);
            return;
        }
        setStatus("OPENING", "binding " + n.bindAddress() + ":" + n.port(), null);
        try {
            BacnetStack opened = BacnetStack.open(n.deviceInstance(), n.deviceName(), n.bindAddress(),
                    n.broadcastAddress(), n.port(), n.bbmd(), n.foreignTtlSeconds());
            BacnetLink l = new BacnetLink(opened, scheduler, writer, sink, covLifetimeSeconds, counters);
            stack = opened;
            link = l;
            l.start();
            for (var b : loadBindings()) {
                l.put(b.datapointId, b.settings);
            }
            setStatus("OPEN", "local device " + n.deviceInstance() + (n.bbmd() == null ? ""
                    : ", foreign device of the BBMD " + n.bbmdAddress() + ":" + n.bbmdPort() + " (TTL "
                    + n.foreignTtlSeconds() + " s)"), opened.localAddress().toString());
            countBindings();
            LOG.info("BMS1000 BACnet/IP network open: device " + n.deviceInstance() + " on " + n.bindAddress() + ":"
                    + n.port() + ", broadcast " + n.broadcastAddress()
                    + (n.bbmd() == null ? "" : ", foreign device of the BBMD " + n.bbmdAddress() + ":" + n.bbmdPort()));
        } catch (Exception e) {
            close();
            setStatus("FAILED", e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            LOG.warning("BMS1001 BACnet/IP network could not open (retried in " + RETRY_SECONDS + " s): "
                    + e.getMessage());
            retry = control.schedule(this::reopen, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void close() {
        var r = retry;
        if (r != null) {
            r.cancel(false);
        }
        BacnetLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
        BacnetStack s = stack;
        stack = null;
        if (s != null) {
            s.close();
        }
    }

    /** Device values and reachability to the engine, from BACnet threads: no container invocation. */
    private final BacnetLink.Sink sink = new BacnetLink.Sink() {
        @Override
        public void value(long datapointId, com.serotonin.bacnet4j.type.Encodable value, String source) {
            engine.applyBacnetValue(datapointId, type -> BacnetValues.toDatapoint(value, type), source);
        }

        @Override
        public void reachable(long datapointId, String downReason) {
            input().reachable(datapointId, SOURCE, downReason);
        }
    };

    private FieldInput input() {
        FieldInput i = input;
        if (i == null) {
            i = engine.fieldInput();
            input = i;
        }
        return i;
    }

    /** A removed binding: the datapoint's value no longer comes from BACnet. */
    private void unbound(BacnetLink l, long datapointId) {
        l.remove(datapointId);
        input().sourceGone(datapointId, SOURCE);
    }

    private void setStatus(String state, String reason, String address) {
        Status s = status;
        status = new Status(state, reason, state.equals(s.state()) ? s.since() : Instant.now(), address, 0,
                s.bindings());
    }

    private void countBindings() {
        Status s = status;
        status = new Status(s.state(), s.reason(), s.since(), s.localAddress(), s.devices(), loadBindings().size());
    }

    private BacnetLink requireOpen() {
        BacnetLink l = link;
        if (l == null) {
            throw new org.bmsmqtt.bms.shared.ConflictException("", "the BACnet network is not open: "
                    + status.state() + " (" + status.reason() + ")");
        }
        return l;
    }

    // ---- reading the configuration through the service: a container call, so it works from our own threads ----

    private BacnetNetworkSettings loadNetwork() {
        return config.networkSettings();
    }

    private List<Bound> loadBindings() {
        return config.bindingSettings().entrySet().stream().map(e -> new Bound(e.getKey(), e.getValue())).toList();
    }

    private record Bound(long datapointId, BacnetBindingSettings settings) {
    }

    private BacnetBindingSettings loadBinding(long datapointId) {
        return config.bindingSettings(datapointId);
    }
}
