package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.LocalDevice;
import com.serotonin.bacnet4j.RemoteDevice;
import com.serotonin.bacnet4j.event.DeviceEventAdapter;
import com.serotonin.bacnet4j.exception.BACnetException;
import com.serotonin.bacnet4j.exception.BACnetTimeoutException;
import com.serotonin.bacnet4j.npdu.ip.IpNetworkUtils;
import com.serotonin.bacnet4j.service.unconfirmed.WhoIsRequest;
import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.constructed.PropertyValue;
import com.serotonin.bacnet4j.type.constructed.SequenceOf;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import com.serotonin.bacnet4j.util.PropertyReferences;
import com.serotonin.bacnet4j.util.PropertyValues;
import com.serotonin.bacnet4j.util.RequestUtils;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live side of BACnet bindings on one open {@link BacnetStack}, without any container: one {@link BacnetWatch} per
 * bound datapoint follows its property by COV (renewed before the lifetime ends) or by polling, and writes commands.
 * Blocking BACnet requests run on {@code scheduler} (watches) and {@code writer} (commands, in order); BACnet4J's own
 * threads only deliver I-Am and COV notifications, which are handed on at once.
 */
public final class BacnetLink implements AutoCloseable {

    /** Where device values go: the datapoint engine. Must not block. */
    public interface Sink {
        void value(long datapointId, Encodable value, String source);

        /** The bound device can be read ({@code downReason} empty: COV or polling works) or not (why). */
        default void reachable(long datapointId, String downReason) {
        }
    }

    /** A device seen by I-Am. */
    public record DeviceView(int instance, String address) {
    }

    /** An object of a device and its object-name (null when the device would not say). */
    public record ObjectView(ObjectIdentifier id, String name) {
    }

    private final BacnetStack stack;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService writer;
    private final Sink sink;
    private final int covLifetimeSeconds;
    private final BacnetCounters counters;
    private final Map<Long, BacnetWatch> watches = new ConcurrentHashMap<>();
    /** Devices by instance, from their I-Am (BACnet4J's own cache only keeps devices it was asked to find). */
    private final Map<Integer, RemoteDevice> known = new ConcurrentHashMap<>();
    private final Map<Integer, BacnetWatch> byProcess = new ConcurrentHashMap<>();
    private final AtomicInteger processIds = new AtomicInteger();
    private final Listener listener = new Listener();
    private volatile boolean closed;

    public BacnetLink(BacnetStack stack, ScheduledExecutorService scheduler, ExecutorService writer, Sink sink,
                      int covLifetimeSeconds) {
        this(stack, scheduler, writer, sink, covLifetimeSeconds, new BacnetCounters());
    }

    public BacnetLink(BacnetStack stack, ScheduledExecutorService scheduler, ExecutorService writer, Sink sink,
                      int covLifetimeSeconds, BacnetCounters counters) {
        this.counters = counters;
        this.stack = stack;
        this.scheduler = scheduler;
        this.writer = writer;
        this.sink = sink;
        this.covLifetimeSeconds = covLifetimeSeconds;
    }

    /** Listens for I-Am and COV notifications and asks every device to announce itself. */
    public void start() {
        device().getEventHandler().addListener(listener);
        discover();
    }

    /** A Who-Is to the network's broadcast address: every device answers with an I-Am. */
    public void discover() {
        device().sendGlobalBroadcast(new WhoIsRequest());
    }

    public List<DeviceView> devices() {
        List<DeviceView> list = new ArrayList<>();
        for (RemoteDevice d : known.values()) {
            list.add(new DeviceView(d.getInstanceNumber(), address(d)));
        }
        list.sort(Comparator.comparingInt(DeviceView::instance));
        return list;
    }

    /**
     * The objects of a discovered device (its object-list) with their names, null when the device is unknown.
     * Blocks: the names are read in one ReadPropertyMultiple where the device offers it, one read per object where
     * not; a name the device refuses is null, the list is still given.
     */
    public List<ObjectView> objects(int instance) throws BACnetException {
        RemoteDevice d = known.get(instance);
        if (d == null) {
            return null;
        }
        List<ObjectIdentifier> ids = new ArrayList<>();
        PropertyReferences refs = new PropertyReferences();
        for (ObjectIdentifier oid : RequestUtils.getObjectList(device(), d)) {
            ids.add(oid);
            refs.add(oid, PropertyIdentifier.objectName);
        }
        PropertyValues names = ids.isEmpty() ? null : RequestUtils.readProperties(device(), d, refs, false, null);
        List<ObjectView> list = new ArrayList<>();
        for (ObjectIdentifier oid : ids) {
            Encodable name = names == null ? null : names.getNullOnError(oid, PropertyIdentifier.objectName);
            list.add(new ObjectView(oid, name instanceof CharacterString c ? c.getValue() : null));
        }
        return list;
    }

    /** Starts following a binding (replacing the datapoint's previous one). */
    public void put(long datapointId, BacnetBindingSettings settings) {
        BacnetWatch w = new BacnetWatch(this, datapointId, settings, processIds.incrementAndGet());
        BacnetWatch old = watches.put(datapointId, w);
        if (old != null) {
            old.stop();
        }
        byProcess.put(w.processId, w);
        sink.reachable(datapointId, "BACnet waiting for device: " + w.reason()); // until its first answer, as set() says
        w.kick();
    }

    public void remove(long datapointId) {
        BacnetWatch w = watches.remove(datapointId);
        if (w != null) {
            w.stop();
        }
    }

    public List<Long> boundDatapoints() {
        return List.copyOf(watches.keySet());
    }

    public boolean isBound(long datapointId) {
        return watches.containsKey(datapointId);
    }

    public BacnetBindingSettings settings(long datapointId) {
        BacnetWatch w = watches.get(datapointId);
        return w == null ? null : w.settings;
    }

    public BindingStatus status(long datapointId) {
        BacnetWatch w = watches.get(datapointId);
        return w == null ? null : w.status();
    }

    /** How many bindings are in each mode now. */
    public Map<String, Long> modes() {
        Map<String, Long> modes = new java.util.TreeMap<>();
        for (BacnetWatch w : watches.values()) {
            modes.merge(w.mode, 1L, Long::sum);
        }
        return modes;
    }

    /**
     * Writes {@code value} (Null relinquishes) to the bound property at the binding's priority, after every write
     * queued before. The future fails with the reason, which the binding's status keeps too.
     */
    public CompletableFuture<Void> write(long datapointId, Encodable value) {
        BacnetWatch w = watches.get(datapointId);
        if (w == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("datapoint has no BACnet binding"));
        }
        return CompletableFuture.runAsync(() -> w.write(value), writer);
    }

    @Override
    public void close() {
        closed = true;
        device().getEventHandler().removeListener(listener);
        for (Long id : List.copyOf(watches.keySet())) {
            remove(id);
            sink.reachable(id, "the BACnet network is closed");
        }
    }

    LocalDevice device() {
        return stack.device();
    }

    // what a BacnetWatch needs of its link

    boolean closed() {
        return closed;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Sink sink() {
        return sink;
    }

    BacnetCounters counters() {
        return counters;
    }

    int covLifetimeSeconds() {
        return covLifetimeSeconds;
    }

    RemoteDevice known(int instance) {
        return known.get(instance);
    }

    void forget(BacnetWatch w) {
        byProcess.remove(w.processId, w);
    }

    /** A failed request as an integrator reads it: "timeout: device 12 does not answer", the device's error. */
    static String describe(Exception e) {
        if (e instanceof BACnetTimeoutException) {
            return "timeout: the device does not answer";
        }
        if (e instanceof com.serotonin.bacnet4j.exception.ErrorAPDUException err) {
            return "the device refused: " + err.getError().getErrorClass() + ": " + err.getError().getErrorCode();
        }
        if (e instanceof com.serotonin.bacnet4j.exception.BACnetErrorException) {
            return "the device refused: " + e.getMessage(); // "object: unknown-object"
        }
        if (e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String address(RemoteDevice d) {
        try {
            return IpNetworkUtils.toIpPortString(d.getAddress().getMacAddress());
        } catch (RuntimeException e) {
            return String.valueOf(d.getAddress());
        }
    }

    private final class Listener extends DeviceEventAdapter {
        @Override
        public void iAmReceived(RemoteDevice d) {
            if (d.getInstanceNumber() == device().getInstanceNumber()) {
                return;
            }
            known.put(d.getInstanceNumber(), d); // the latest I-Am also carries a changed address
            // A device announcing itself may have restarted and forgotten our subscriptions: renew them now.
            for (BacnetWatch w : watches.values()) {
                if (w.settings.deviceInstance() == d.getInstanceNumber()) {
                    w.covRefused = false; // it may be another device now, or one that has the object by now
                    w.kick();
                }
            }
        }

        @Override
        public void covNotificationReceived(UnsignedInteger process, ObjectIdentifier initiatingDevice,
                                            ObjectIdentifier object, UnsignedInteger timeRemaining,
                                            SequenceOf<PropertyValue> values) {
            BacnetWatch w = byProcess.get(process.intValue());
            if (w != null && w.matches(initiatingDevice, object)) {
                for (PropertyValue pv : values) {
                    if (pv.getPropertyIdentifier().equals(w.settings.property())) {
                        counters.covNotifications.increment();
                        w.received(pv.getValue(), "bacnet:cov:");
                    }
                }
            }
        }
    }
}
