package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.LocalDevice;
import com.serotonin.bacnet4j.RemoteDevice;
import com.serotonin.bacnet4j.event.DeviceEventAdapter;
import com.serotonin.bacnet4j.exception.BACnetException;
import com.serotonin.bacnet4j.exception.BACnetTimeoutException;
import com.serotonin.bacnet4j.npdu.ip.IpNetworkUtils;
import com.serotonin.bacnet4j.service.confirmed.SubscribeCOVPropertyRequest;
import com.serotonin.bacnet4j.service.confirmed.SubscribeCOVRequest;
import com.serotonin.bacnet4j.service.confirmed.WritePropertyRequest;
import com.serotonin.bacnet4j.service.unconfirmed.WhoIsRequest;
import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.constructed.PropertyReference;
import com.serotonin.bacnet4j.type.constructed.PropertyValue;
import com.serotonin.bacnet4j.type.constructed.SequenceOf;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.Boolean;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import com.serotonin.bacnet4j.type.primitive.Real;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live side of BACnet bindings on one open {@link BacnetStack}, without any container: one {@link Watch} per
 * bound datapoint follows its property by COV (renewed before the lifetime ends) or by polling, and writes commands.
 * Blocking BACnet requests run on {@code scheduler} (watches) and {@code writer} (commands, in order); BACnet4J's own
 * threads only deliver I-Am and COV notifications, which are handed on at once.
 */
public final class BacnetLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BacnetLink.class.getName());

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

    /** For requests whose answer nobody waits for (a subscription's cancellation). */
    private static final com.serotonin.bacnet4j.ResponseConsumer IGNORE = new com.serotonin.bacnet4j.ResponseConsumer() {
        @Override
        public void success(com.serotonin.bacnet4j.service.acknowledgement.AcknowledgementService ack) {
        }

        @Override
        public void fail(com.serotonin.bacnet4j.apdu.AckAPDU ack) {
        }

        @Override
        public void ex(BACnetException e) {
        }
    };

    private final BacnetStack stack;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService writer;
    private final Sink sink;
    private final int covLifetimeSeconds;
    private final BacnetCounters counters;
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    /** Devices by instance, from their I-Am (BACnet4J's own cache only keeps devices it was asked to find). */
    private final Map<Integer, RemoteDevice> known = new ConcurrentHashMap<>();
    private final Map<Integer, Watch> byProcess = new ConcurrentHashMap<>();
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
        Watch w = new Watch(datapointId, settings, processIds.incrementAndGet());
        Watch old = watches.put(datapointId, w);
        if (old != null) {
            old.stop();
        }
        byProcess.put(w.processId, w);
        sink.reachable(datapointId, "BACnet waiting for device: " + w.reason); // until its first answer, as set() says
        w.kick();
    }

    public void remove(long datapointId) {
        Watch w = watches.remove(datapointId);
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
        Watch w = watches.get(datapointId);
        return w == null ? null : w.settings;
    }

    public BindingStatus status(long datapointId) {
        Watch w = watches.get(datapointId);
        return w == null ? null : w.status();
    }

    /** How many bindings are in each mode now. */
    public Map<String, Long> modes() {
        Map<String, Long> modes = new java.util.TreeMap<>();
        for (Watch w : watches.values()) {
            modes.merge(w.mode, 1L, Long::sum);
        }
        return modes;
    }

    /**
     * Writes {@code value} (Null relinquishes) to the bound property at the binding's priority, after every write
     * queued before. The future fails with the reason, which the binding's status keeps too.
     */
    public CompletableFuture<Void> write(long datapointId, Encodable value) {
        Watch w = watches.get(datapointId);
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

    private LocalDevice device() {
        return stack.device();
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
            for (Watch w : watches.values()) {
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
            Watch w = byProcess.get(process.intValue());
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

    /** One binding: its schedule and its status. Ticks never overlap (synchronized), stop ends the schedule. */
    private final class Watch {
        final long datapointId;
        final BacnetBindingSettings settings;
        final int processId;
        final ObjectIdentifier oid;
        final String source;
        private volatile boolean stopped;
        private volatile java.util.concurrent.ScheduledFuture<?> next;
        private volatile String mode = "WAITING_FOR_DEVICE";
        private volatile String reason;
        private volatile java.time.Instant since = java.time.Instant.now();
        private volatile java.time.Instant lastValue;
        private volatile java.time.Instant covExpires;
        private volatile String lastWriteError;
        private volatile java.time.Instant lastWriteErrorTime;
        private volatile boolean covRefused;
        private final java.util.concurrent.atomic.AtomicLong values = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong writeFailures =
                new java.util.concurrent.atomic.AtomicLong();

        Watch(long datapointId, BacnetBindingSettings settings, int processId) {
            this.datapointId = datapointId;
            this.settings = settings;
            this.processId = processId;
            this.oid = new ObjectIdentifier(settings.objectType().bacnet(), settings.objectInstance());
            this.source = settings.deviceInstance() + ":" + settings.objectType().text() + ":"
                    + settings.objectInstance();
            this.reason = "no I-Am from device " + settings.deviceInstance() + " yet";
        }

        boolean matches(ObjectIdentifier initiatingDevice, ObjectIdentifier object) {
            return initiatingDevice.getInstanceNumber() == settings.deviceInstance() && object.equals(oid);
        }

        void kick() {
            schedule(0);
        }

        private void schedule(long seconds) {
            if (stopped || closed) {
                return;
            }
            var previous = next;
            if (previous != null && seconds == 0) {
                previous.cancel(false);
            }
            next = scheduler.schedule(this::tick, seconds, java.util.concurrent.TimeUnit.SECONDS);
        }

        synchronized void tick() {
            if (stopped || closed) {
                return;
            }
            long delay = settings.pollSeconds();
            try {
                RemoteDevice d = known.get(settings.deviceInstance());
                if (d == null) {
                    set("WAITING_FOR_DEVICE", "no I-Am from device " + settings.deviceInstance() + " yet");
                    device().sendGlobalBroadcast(new WhoIsRequest(new UnsignedInteger(settings.deviceInstance()),
                            new UnsignedInteger(settings.deviceInstance())));
                } else if (settings.cov() && !covRefused) {
                    delay = subscribe(d);
                } else {
                    poll(d);
                }
            } catch (BACnetTimeoutException e) {
                set("UNREACHABLE", "device " + settings.deviceInstance() + " does not answer");
            } catch (BACnetException | RuntimeException e) {
                // The device answers but refuses (no such object or property, ...): say so, and retry at the poll
                // interval in case the device is being configured.
                set("ERROR", describe(e));
                LOG.log(Level.FINE, "BACnet binding of datapoint " + datapointId, e);
            }
            schedule(delay);
        }

        /** Subscribes (or renews); returns the seconds until the renewal, two thirds into the lifetime. */
        private long subscribe(RemoteDevice d) throws BACnetException {
            try {
                device().send(d, subscription(new UnsignedInteger(covLifetimeSeconds))).get();
            } catch (BACnetTimeoutException e) {
                throw e;
            } catch (BACnetException e) {
                // Error, reject or abort: the device or the object does not do COV. Poll instead, and say why.
                covRefused = true;
                set("POLLING", "COV refused by the device: " + e.getMessage());
                poll(d);
                return settings.pollSeconds();
            }
            covExpires = java.time.Instant.now().plusSeconds(covLifetimeSeconds);
            set("COV", (settings.covConfirmed() ? "confirmed" : "unconfirmed") + " notifications, lifetime "
                    + covLifetimeSeconds + " s");
            return Math.max(1, covLifetimeSeconds * 2L / 3);
        }

        private com.serotonin.bacnet4j.service.confirmed.ConfirmedRequestService subscription(UnsignedInteger life) {
            Boolean confirmed = life == null ? null : Boolean.valueOf(settings.covConfirmed());
            boolean property = settings.covIncrement() != null
                    || !settings.property().equals(PropertyIdentifier.presentValue);
            if (property) {
                Real increment = settings.covIncrement() == null ? null
                        : new Real(settings.covIncrement().floatValue());
                return new SubscribeCOVPropertyRequest(new UnsignedInteger(processId), oid, confirmed, life,
                        new PropertyReference(settings.property()), increment);
            }
            return new SubscribeCOVRequest(new UnsignedInteger(processId), oid, confirmed, life);
        }

        private void poll(RemoteDevice d) throws BACnetException {
            Encodable v = RequestUtils.getProperty(device(), d, oid, settings.property());
            if (!settings.cov()) {
                set("POLLING", "COV off: read every " + settings.pollSeconds() + " s");
            } else if (!"POLLING".equals(mode)) {
                set("POLLING", reason);
            }
            counters.polls.increment();
            received(v, "bacnet:poll:");
        }

        void received(Encodable value, String via) {
            lastValue = java.time.Instant.now();
            values.incrementAndGet();
            sink.value(datapointId, value, via + source);
        }

        void write(Encodable value) {
            writes.incrementAndGet();
            counters.writes.increment();
            try {
                RemoteDevice d = known.get(settings.deviceInstance());
                if (d == null) {
                    throw new IllegalStateException("device " + settings.deviceInstance() + " not discovered");
                }
                UnsignedInteger priority = settings.writePriority() == null ? null
                        : new UnsignedInteger(settings.writePriority());
                device().send(d, new WritePropertyRequest(oid, settings.property(), null, value, priority)).get();
                lastWriteError = null;
            } catch (BACnetException | RuntimeException e) {
                writeFailures.incrementAndGet();
                counters.writeFailures.increment();
                lastWriteError = describe(e);
                lastWriteErrorTime = java.time.Instant.now();
                throw new java.util.concurrent.CompletionException(e);
            }
        }

        void stop() {
            stopped = true;
            byProcess.remove(processId, this);
            var n = next;
            if (n != null) {
                n.cancel(false);
            }
            if ("COV".equals(mode) && !closed) {
                RemoteDevice d = known.get(settings.deviceInstance());
                if (d != null) { // cancel the subscription (no lifetime, no confirmed flag); no answer awaited
                    device().send(d, subscription(null), IGNORE);
                }
            }
            set("STOPPED", "binding removed or network closed");
        }

        private void set(String mode, String reason) {
            boolean changed = !mode.equals(this.mode);
            if (changed) {
                since = java.time.Instant.now();
            }
            this.mode = mode;
            this.reason = reason;
            if (changed && !stopped) { // a removed binding's datapoint is told by its owner
                boolean reading = "COV".equals(mode) || "POLLING".equals(mode);
                sink.reachable(datapointId, reading ? "" : "BACnet " + mode.toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + ": " + reason);
            }
        }

        BindingStatus status() {
            return new BindingStatus(mode, reason, since, lastValue, "COV".equals(mode) ? covExpires : null,
                    values.get(), writes.get(), writeFailures.get(), lastWriteError, lastWriteErrorTime);
        }
    }
}
