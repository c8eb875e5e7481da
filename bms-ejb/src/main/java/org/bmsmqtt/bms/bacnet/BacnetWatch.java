package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.RemoteDevice;
import com.serotonin.bacnet4j.exception.BACnetException;
import com.serotonin.bacnet4j.exception.BACnetTimeoutException;
import com.serotonin.bacnet4j.service.confirmed.SubscribeCOVPropertyRequest;
import com.serotonin.bacnet4j.service.confirmed.SubscribeCOVRequest;
import com.serotonin.bacnet4j.service.confirmed.WritePropertyRequest;
import com.serotonin.bacnet4j.service.unconfirmed.WhoIsRequest;
import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.constructed.PropertyReference;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.Boolean;
import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import com.serotonin.bacnet4j.util.RequestUtils;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One BACnet binding of a {@link BacnetLink}: follows the bound property by COV (renewed two thirds into the lifetime)
 * or by polling, writes commands, and keeps the binding's status. Ticks never overlap (synchronized), stop ends the
 * schedule.
 */
final class BacnetWatch {

    private static final Logger LOG = Logger.getLogger(BacnetWatch.class.getName());

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

    private final BacnetLink link;
    final long datapointId;
    final BacnetBindingSettings settings;
    final int processId;
    final ObjectIdentifier oid;
    final String source;
    private volatile boolean stopped;
    private volatile java.util.concurrent.ScheduledFuture<?> next;
    volatile String mode = "WAITING_FOR_DEVICE";
    private volatile String reason;
    private volatile java.time.Instant since = java.time.Instant.now();
    private volatile java.time.Instant lastValue;
    private volatile java.time.Instant covExpires;
    private volatile String lastWriteError;
    private volatile java.time.Instant lastWriteErrorTime;
    volatile boolean covRefused;
    private final java.util.concurrent.atomic.AtomicLong values = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong writeFailures =
            new java.util.concurrent.atomic.AtomicLong();

    BacnetWatch(BacnetLink link, long datapointId, BacnetBindingSettings settings, int processId) {
        this.link = link;
        this.datapointId = datapointId;
        this.settings = settings;
        this.processId = processId;
        this.oid = new ObjectIdentifier(settings.objectType().bacnet(), settings.objectInstance());
        this.source = settings.deviceInstance() + ":" + settings.objectType().text() + ":"
                + settings.objectInstance();
        this.reason = "no I-Am from device " + settings.deviceInstance() + " yet";
    }

    /** Why the binding is in its mode (for the status). */
    String reason() {
        return reason;
    }

    boolean matches(ObjectIdentifier initiatingDevice, ObjectIdentifier object) {
        return initiatingDevice.getInstanceNumber() == settings.deviceInstance() && object.equals(oid);
    }

    void kick() {
        schedule(0);
    }

    private void schedule(long seconds) {
        if (stopped || link.closed()) {
            return;
        }
        var previous = next;
        if (previous != null && seconds == 0) {
            previous.cancel(false);
        }
        next = link.scheduler().schedule(this::tick, seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    synchronized void tick() {
        if (stopped || link.closed()) {
            return;
        }
        long delay = settings.pollSeconds();
        try {
            RemoteDevice d = link.known(settings.deviceInstance());
            if (d == null) {
                set("WAITING_FOR_DEVICE", "no I-Am from device " + settings.deviceInstance() + " yet");
                link.device().sendGlobalBroadcast(new WhoIsRequest(new UnsignedInteger(settings.deviceInstance()),
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
            set("ERROR", BacnetLink.describe(e));
            LOG.log(Level.FINE, "BACnet binding of datapoint " + datapointId, e);
        }
        schedule(delay);
    }

    /** Subscribes (or renews); returns the seconds until the renewal, two thirds into the lifetime. */
    private long subscribe(RemoteDevice d) throws BACnetException {
        try {
            link.device().send(d, subscription(new UnsignedInteger(link.covLifetimeSeconds()))).get();
        } catch (BACnetTimeoutException e) {
            throw e;
        } catch (BACnetException e) {
            // Error, reject or abort: the device or the object does not do COV. Poll instead, and say why.
            covRefused = true;
            set("POLLING", "COV refused by the device: " + e.getMessage());
            poll(d);
            return settings.pollSeconds();
        }
        covExpires = java.time.Instant.now().plusSeconds(link.covLifetimeSeconds());
        set("COV", (settings.covConfirmed() ? "confirmed" : "unconfirmed") + " notifications, lifetime "
                + link.covLifetimeSeconds() + " s");
        return Math.max(1, link.covLifetimeSeconds() * 2L / 3);
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
        Encodable v = RequestUtils.getProperty(link.device(), d, oid, settings.property());
        if (!settings.cov()) {
            set("POLLING", "COV off: read every " + settings.pollSeconds() + " s");
        } else if (!"POLLING".equals(mode)) {
            set("POLLING", reason);
        }
        link.counters().polls.increment();
        received(v, "bacnet:poll:");
    }

    void received(Encodable value, String via) {
        lastValue = java.time.Instant.now();
        values.incrementAndGet();
        link.sink().value(datapointId, value, via + source);
    }

    void write(Encodable value) {
        writes.incrementAndGet();
        link.counters().writes.increment();
        try {
            RemoteDevice d = link.known(settings.deviceInstance());
            if (d == null) {
                throw new IllegalStateException("device " + settings.deviceInstance() + " not discovered");
            }
            UnsignedInteger priority = settings.writePriority() == null ? null
                    : new UnsignedInteger(settings.writePriority());
            link.device().send(d, new WritePropertyRequest(oid, settings.property(), null, value, priority)).get();
            lastWriteError = null;
        } catch (BACnetException | RuntimeException e) {
            writeFailures.incrementAndGet();
            link.counters().writeFailures.increment();
            lastWriteError = BacnetLink.describe(e);
            lastWriteErrorTime = java.time.Instant.now();
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    void stop() {
        stopped = true;
        link.forget(this);
        var n = next;
        if (n != null) {
            n.cancel(false);
        }
        if ("COV".equals(mode) && !link.closed()) {
            RemoteDevice d = link.known(settings.deviceInstance());
            if (d != null) { // cancel the subscription (no lifetime, no confirmed flag); no answer awaited
                link.device().send(d, subscription(null), IGNORE);
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
            link.sink().reachable(datapointId, reading ? "" : "BACnet " + mode.toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + ": " + reason);
        }
    }

    BindingStatus status() {
        return new BindingStatus(mode, reason, since, lastValue, "COV".equals(mode) ? covExpires : null,
                values.get(), writes.get(), writeFailures.get(), lastWriteError, lastWriteErrorTime);
    }
}
