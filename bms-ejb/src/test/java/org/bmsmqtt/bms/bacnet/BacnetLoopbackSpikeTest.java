package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.LocalDevice;
import com.serotonin.bacnet4j.RemoteDevice;
import com.serotonin.bacnet4j.event.DeviceEventAdapter;
import com.serotonin.bacnet4j.obj.AnalogValueObject;
import com.serotonin.bacnet4j.obj.BinaryValueObject;
import com.serotonin.bacnet4j.obj.MultistateValueObject;
import com.serotonin.bacnet4j.service.confirmed.SubscribeCOVRequest;
import com.serotonin.bacnet4j.service.confirmed.WritePropertyRequest;
import com.serotonin.bacnet4j.service.unconfirmed.WhoIsRequest;
import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.constructed.BACnetArray;
import com.serotonin.bacnet4j.type.constructed.PropertyValue;
import com.serotonin.bacnet4j.type.constructed.SequenceOf;
import com.serotonin.bacnet4j.type.enumerated.BinaryPV;
import com.serotonin.bacnet4j.type.enumerated.EngineeringUnits;
import com.serotonin.bacnet4j.type.enumerated.ObjectType;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.Boolean;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.Null;
import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import com.serotonin.bacnet4j.util.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spike: BACnet4J works in this JVM on loopback only. Device A (127.0.0.1) and device B (127.0.0.2) share one free
 * UDP port; broadcasts go to 127.255.255.255. A discovers B by Who-Is / I-Am, reads, writes at priority 8,
 * relinquishes, and receives confirmed and unconfirmed COV notifications.
 */
class BacnetLoopbackSpikeTest {

    static final int A_ID = 1001;
    static final int B_ID = 2002;
    static BacnetStack a;
    static BacnetStack b;
    static AnalogValueObject av;
    static final BlockingQueue<RemoteDevice> iAms = new LinkedBlockingQueue<>();
    static final BlockingQueue<Object[]> covs = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        int port = freePort();
        b = BacnetStack.open(B_ID, "device-b", "127.0.0.2", "127.255.255.255", port);
        LocalDevice d = b.device();
        av = new AnalogValueObject(d, 0, "av0", 20f, EngineeringUnits.degreesCelsius, false)
                .supportCommandable(0f).supportCovReporting(0.5f);
        new BinaryValueObject(d, 0, "bv0", BinaryPV.inactive, false)
                .supportCommandable(BinaryPV.inactive).supportCovReporting();
        BACnetArray<CharacterString> states = new BACnetArray<>(
                new CharacterString("off"), new CharacterString("low"), new CharacterString("high"));
        new MultistateValueObject(d, 0, "msv0", 3, states, 1, false)
                .supportCommandable(new UnsignedInteger(1)).supportCovReporting();

        a = BacnetStack.open(A_ID, "device-a", "127.0.0.1", "127.255.255.255", port);
        a.device().getEventHandler().addListener(new DeviceEventAdapter() {
            @Override
            public void iAmReceived(RemoteDevice d) {
                iAms.add(d);
            }

            @Override
            public void covNotificationReceived(UnsignedInteger process, ObjectIdentifier device,
                                                ObjectIdentifier object, UnsignedInteger remaining,
                                                SequenceOf<PropertyValue> values) {
                covs.add(new Object[]{object, values});
            }
        });
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void discoverReadWriteRelinquishAndCov() throws Exception {
        // Who-Is as a broadcast (to 127.255.255.255 only), I-Am back as a broadcast
        a.device().sendGlobalBroadcast(new WhoIsRequest(new UnsignedInteger(B_ID), new UnsignedInteger(B_ID)));
        RemoteDevice rd = awaitDevice(B_ID);
        assertEquals(new InetSocketAddress("127.0.0.2", b.localAddress().getPort()),
                com.serotonin.bacnet4j.npdu.ip.IpNetworkUtils.getInetSocketAddress(rd.getAddress().getMacAddress()));

        ObjectIdentifier av0 = new ObjectIdentifier(ObjectType.analogValue, 0);
        ObjectIdentifier bv0 = new ObjectIdentifier(ObjectType.binaryValue, 0);
        ObjectIdentifier msv0 = new ObjectIdentifier(ObjectType.multiStateValue, 0);
        assertEquals(new Real(20f), read(rd, av0));
        assertEquals(BinaryPV.inactive, read(rd, bv0));
        assertEquals(new UnsignedInteger(1), read(rd, msv0));

        write(rd, av0, new Real(25f), 8);
        write(rd, bv0, BinaryPV.active, 8);
        write(rd, msv0, new UnsignedInteger(3), 8);
        assertEquals(new Real(25f), read(rd, av0));
        assertEquals(BinaryPV.active, read(rd, bv0));
        assertEquals(new UnsignedInteger(3), read(rd, msv0));
        BACnetArray<?> priorities = RequestUtils.getProperty(a.device(), rd, av0, PropertyIdentifier.priorityArray);
        assertEquals("PriorityValue(25.0)", priorities.getBase1(8).toString());
        assertEquals("PriorityValue(Null)", priorities.getBase1(16).toString());

        write(rd, av0, Null.instance, 8); // relinquish: back to the relinquish default
        write(rd, bv0, Null.instance, 8);
        assertEquals(new Real(0f), read(rd, av0));
        assertEquals(BinaryPV.inactive, read(rd, bv0));

        // COV, confirmed on av0 (increment 0.5), unconfirmed on bv0
        a.device().send(rd, new SubscribeCOVRequest(new UnsignedInteger(7), av0, Boolean.TRUE,
                new UnsignedInteger(60))).get();
        a.device().send(rd, new SubscribeCOVRequest(new UnsignedInteger(8), bv0, Boolean.FALSE,
                new UnsignedInteger(60))).get();
        write(rd, av0, new Real(30f), 16);
        write(rd, bv0, BinaryPV.active, 16);
        assertEquals("30.0", awaitCov(av0));
        assertEquals("1", awaitCov(bv0)); // BinaryPV.active encodes as 1

        assertLoopbackOnly();
    }

    @Test
    void broadcastsStayOnLoopback() {
        for (BacnetStack s : List.of(a, b)) {
            InetSocketAddress target = com.serotonin.bacnet4j.npdu.ip.IpNetworkUtils.getInetSocketAddress(
                    s.device().getNetwork().getLocalBroadcastAddress().getMacAddress());
            assertEquals("127.255.255.255", target.getAddress().getHostAddress());
        }
    }

    private static Encodable read(RemoteDevice rd, ObjectIdentifier oid) throws Exception {
        return RequestUtils.getProperty(a.device(), rd, oid, PropertyIdentifier.presentValue);
    }

    private static void write(RemoteDevice rd, ObjectIdentifier oid, Encodable value, int priority) throws Exception {
        a.device().send(rd, new WritePropertyRequest(oid, PropertyIdentifier.presentValue, null, value,
                new UnsignedInteger(priority))).get();
    }

    private static RemoteDevice awaitDevice(int instance) throws InterruptedException {
        for (int i = 0; i < 50; i++) { // bounded: 50 x 100 ms
            RemoteDevice d = iAms.poll(100, TimeUnit.MILLISECONDS);
            if (d != null && d.getInstanceNumber() == instance) {
                return d;
            }
        }
        throw new AssertionError("no I-Am from " + instance);
    }

    /** The present value of the first notification for this object that carries a value other than the initial one. */
    private static String awaitCov(ObjectIdentifier oid) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Object[] n = covs.poll(100, TimeUnit.MILLISECONDS);
            if (n == null || !oid.equals(n[0])) {
                continue;
            }
            @SuppressWarnings("unchecked")
            SequenceOf<PropertyValue> values = (SequenceOf<PropertyValue>) n[1];
            for (PropertyValue pv : values) {
                if (pv.getPropertyIdentifier().equals(PropertyIdentifier.presentValue)) {
                    String v = pv.getValue() instanceof BinaryPV bpv ? String.valueOf(bpv.intValue())
                            : pv.getValue().toString();
                    seen.add(v);
                    if (!v.equals("0.0") && !v.equals("0")) {
                        return v;
                    }
                }
            }
        }
        throw new AssertionError("no COV notification for " + oid + ", seen " + seen);
    }

    /** Every UDP socket of this process is bound to a 127.x address: nothing on the wildcard. */
    private static void assertLoopbackOnly() throws Exception {
        long pid = ProcessHandle.current().pid();
        Process ss;
        try {
            ss = new ProcessBuilder("ss", "-uanp").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            System.out.println("ss not available: socket check skipped");
            return;
        }
        List<String> ours = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(ss.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.contains("pid=" + pid + ",")) {
                    ours.add(line);
                }
            }
        }
        assertTrue(ss.waitFor(10, TimeUnit.SECONDS));
        System.out.println("UDP sockets of this JVM:\n" + String.join("\n", ours));
        assertFalse(ours.isEmpty(), "ss shows no UDP socket of this JVM");
        for (String line : ours) {
            String local = line.trim().split("\\s+")[3].replace("[::ffff:", "").replace("]", "");
            assertTrue(local.startsWith("127."), "not loopback: " + line);
        }
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }
}
