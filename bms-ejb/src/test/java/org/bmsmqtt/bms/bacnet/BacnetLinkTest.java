package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.obj.AnalogValueObject;
import com.serotonin.bacnet4j.obj.BACnetObject;
import com.serotonin.bacnet4j.obj.BinaryValueObject;
import com.serotonin.bacnet4j.obj.MultistateValueObject;
import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.constructed.BACnetArray;
import com.serotonin.bacnet4j.type.enumerated.BinaryPV;
import com.serotonin.bacnet4j.type.enumerated.EngineeringUnits;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.Null;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BacnetLink} against a real BACnet4J device on loopback (127.0.0.2; the link on 127.0.0.1, same port):
 * COV with renewal, polling when the object refuses COV, writes at the binding's priority and relinquish.
 */
class BacnetLinkTest {

    static final int DEVICE = 3003;
    static final int LIFETIME = 3; // seconds: renewal after 2
    static BacnetStack remote;
    static BacnetStack local;
    static BacnetLink link;
    static ScheduledExecutorService scheduler;
    static ExecutorService writer;
    static final Map<Long, Encodable> values = new ConcurrentHashMap<>();
    static final Map<Long, String> sources = new ConcurrentHashMap<>();
    static AnalogValueObject av0;
    static AnalogValueObject av1;
    static BinaryValueObject bv0;
    static MultistateValueObject msv0;
    static final BacnetCounters counters = new BacnetCounters();

    @BeforeAll
    static void start() throws Exception {
        int port = freePort();
        remote = BacnetStack.open(DEVICE, "remote", "127.0.0.2", "127.255.255.255", port);
        var d = remote.device();
        av0 = new AnalogValueObject(d, 0, "av0", 20f, EngineeringUnits.degreesCelsius, false)
                .supportCommandable(0f).supportCovReporting(0.5f);
        av1 = new AnalogValueObject(d, 1, "no-cov", 5f, EngineeringUnits.percent, false); // no COV support
        bv0 = new BinaryValueObject(d, 0, "bv0", BinaryPV.inactive, false)
                .supportCommandable(BinaryPV.inactive).supportCovReporting();
        msv0 = new MultistateValueObject(d, 0, "msv0", 3, new BACnetArray<>(new CharacterString("a"),
                new CharacterString("b"), new CharacterString("c")), 1, false)
                .supportCommandable(new UnsignedInteger(1)).supportCovReporting();
        local = BacnetStack.open(1001, "bms", "127.0.0.1", "127.255.255.255", port);
        scheduler = Executors.newScheduledThreadPool(2);
        writer = Executors.newSingleThreadExecutor();
        link = new BacnetLink(local, scheduler, writer, (id, v, src) -> {
            sources.put(id, src); // before the value: the test reads the source once it sees the value
            values.put(id, v);
        }, LIFETIME, counters);
        link.start();
    }

    @AfterAll
    static void stop() {
        if (link != null) {
            link.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            writer.shutdownNow();
        }
        if (local != null) {
            local.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void discoveryListsTheDevice() throws Exception {
        await(() -> link.devices().stream().anyMatch(v -> v.instance() == DEVICE), "device in the list");
        assertEquals("127.0.0.2:" + remote.localAddress().getPort(), link.devices().stream()
                .filter(v -> v.instance() == DEVICE).findFirst().orElseThrow().address());
        var objects = link.objects(DEVICE);
        assertTrue(objects.contains(new BacnetLink.ObjectView(av1.getId(), "no-cov")), objects.toString());
        assertTrue(objects.contains(new BacnetLink.ObjectView(msv0.getId(), "msv0")), objects.toString());
    }

    @Test
    void covFollowsChangesAndIsRenewed() {
        link.put(1, settings("analog-value", 0, 8, true, true, 0.0, 60));
        link.put(2, settings("binary-value", 0, 8, true, false, null, 60));
        link.put(3, settings("multi-state-value", 0, 8, true, false, null, 60));
        awaitValue(1, new Real(20f));
        awaitValue(2, BinaryPV.inactive);
        awaitValue(3, new UnsignedInteger(1));
        assertEquals("COV", link.status(1).mode());
        assertTrue(sources.get(1L).startsWith("bacnet:cov:" + DEVICE + ":analog-value:0"));

        av0.writePropertyInternal(PropertyIdentifier.presentValue, new Real(21.25f));
        bv0.writePropertyInternal(PropertyIdentifier.presentValue, BinaryPV.active);
        msv0.writePropertyInternal(PropertyIdentifier.presentValue, new UnsignedInteger(3));
        awaitValue(1, new Real(21.25f)); // increment 0 in the subscription: every change
        awaitValue(2, BinaryPV.active);
        awaitValue(3, new UnsignedInteger(3));

        var first = link.status(1).covExpires();
        assertNotNull(first);
        await(() -> !first.equals(link.status(1).covExpires()), "subscription renewed before its lifetime ended");
        av0.writePropertyInternal(PropertyIdentifier.presentValue, new Real(22.5f));
        awaitValue(1, new Real(22.5f));
    }

    @Test
    void objectWithoutCovIsPolled() {
        link.put(10, settings("analog-value", 1, null, true, false, null, 1));
        awaitValue(10, new Real(5f));
        await(() -> "POLLING".equals(link.status(10).mode()), "polling");
        assertTrue(link.status(10).reason().startsWith("COV refused"), link.status(10).reason());
        av1.writePropertyInternal(PropertyIdentifier.presentValue, new Real(7f));
        awaitValue(10, new Real(7f));
        assertTrue(sources.get(10L).startsWith("bacnet:poll:"));
    }

    @Test
    void writesAtThePriorityAndRelinquishes() throws Exception {
        link.put(20, settings("analog-value", 0, 8, false, false, null, 60));
        await(() -> "POLLING".equals(link.status(20).mode()), "device known");
        link.write(20, new Real(30f)).get(10, TimeUnit.SECONDS);
        assertEquals("PriorityValue(30.0)", priority(av0, 8));
        link.write(20, Null.instance).get(10, TimeUnit.SECONDS);
        assertEquals("PriorityValue(Null)", priority(av0, 8));

        link.put(21, settings("binary-value", 0, 3, false, false, null, 60));
        link.write(21, BinaryPV.active).get(10, TimeUnit.SECONDS);
        assertEquals(BinaryPV.active, bv0.readProperty(PropertyIdentifier.presentValue));
        assertEquals("PriorityValue(active)", priority(bv0, 3));
        link.write(21, Null.instance).get(10, TimeUnit.SECONDS);
        assertEquals("PriorityValue(Null)", priority(bv0, 3));
    }

    @Test
    void aWriteTheDeviceRefusesIsCountedWithItsReason() throws Exception {
        link.put(40, settings("analog-value", 99, 8, false, false, null, 60)); // no such object on the device
        await(() -> "ERROR".equals(link.status(40).mode()), () -> "mode ERROR: " + link.status(40));
        assertTrue(link.status(40).reason().startsWith("the device refused: "), link.status(40).reason());
        long before = counters.snapshot().writeFailures();
        var failed = link.write(40, new Real(1f));
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> failed.get(10, TimeUnit.SECONDS));
        BindingStatus s = link.status(40);
        assertEquals(1, s.writes());
        assertEquals(1, s.writeFailures());
        assertTrue(s.lastWriteError().startsWith("the device refused: "), s.lastWriteError());
        assertTrue(s.lastWriteError().toLowerCase(java.util.Locale.ROOT).contains("unknown"), s.lastWriteError());
        assertNotNull(s.lastWriteErrorTime());
        assertNotNull(e.getCause());
        assertEquals(before + 1, counters.snapshot().writeFailures());
    }

    @Test
    void bindingToAnUnknownDeviceWaits() {
        link.put(30, new BacnetBindingSettings(4000, BacnetObjectType.ANALOG_VALUE, 0,
                PropertyIdentifier.presentValue, null, true, false, null, 1));
        assertEquals("WAITING_FOR_DEVICE", link.status(30).mode());
        assertNotEquals(null, link.status(30).reason());
        link.remove(30);
        assertEquals(null, link.status(30));
    }

    private static String priority(BACnetObject o, int p) throws Exception {
        BACnetArray<?> array = o.readProperty(PropertyIdentifier.priorityArray);
        return array.getBase1(p).toString();
    }

    private static BacnetBindingSettings settings(String type, int instance, Integer priority, boolean cov,
                                                  boolean confirmed, Double increment, int poll) {
        return new BacnetBindingSettings(DEVICE, BacnetObjectType.parse(type, "t"), instance,
                PropertyIdentifier.presentValue, priority, cov, confirmed, increment, poll);
    }

    private static void awaitValue(long id, Encodable expected) {
        await(() -> expected.equals(values.get(id)), () -> "datapoint " + id + " = " + expected + ", was "
                + values.get(id) + " (" + link.status(id) + ")");
    }

    private static void await(BooleanSupplier condition, String what) {
        await(condition, () -> what);
    }

    /** Bounded polling: 200 x 50 ms at most. */
    private static void await(BooleanSupplier condition, Supplier<String> what) {
        for (int i = 0; i < 200; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what.get());
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }
}
