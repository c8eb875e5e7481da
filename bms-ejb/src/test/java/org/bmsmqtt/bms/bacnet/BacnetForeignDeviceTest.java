package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.npdu.ip.IpNetwork;
import com.serotonin.bacnet4j.obj.AnalogValueObject;
import com.serotonin.bacnet4j.type.enumerated.EngineeringUnits;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.Encodable;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Foreign-device registration on loopback: the devices' network is port P (a BBMD on 127.0.0.2:P, a device on
 * 127.0.0.3:P, broadcasts to 127.255.255.255:P); the BMS's stack is on 127.0.0.1:Q, where no broadcast of theirs
 * arrives, as on another subnet. Registered with the BBMD, it discovers the device and follows it by COV.
 */
class BacnetForeignDeviceTest {

    @Test
    void aForeignDeviceDiscoversAndFollowsDevicesBehindTheBbmd() throws Exception {
        int p = freePort();
        int q = freePort();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Map<Long, Encodable> values = new ConcurrentHashMap<>();
        try (BacnetStack bbmd = BacnetStack.open(4100, "bbmd", "127.0.0.2", "127.255.255.255", p);
             BacnetStack device = BacnetStack.open(4101, "device", "127.0.0.3", "127.255.255.255", p)) {
            ((IpNetwork) bbmd.device().getNetwork()).enableBBMD();
            AnalogValueObject av = new AnalogValueObject(device.device(), 0, "av0", 1f, EngineeringUnits.noUnits,
                    false).supportCovReporting(0f);
            try (BacnetStack alone = BacnetStack.open(4102, "alone", "127.0.0.1", "127.255.255.255", q);
                 BacnetLink lonely = new BacnetLink(alone, scheduler, writer, (id, v, s) -> { }, 60)) {
                lonely.start();
                Thread.sleep(1000);
                assertTrue(lonely.devices().isEmpty(), "without the BBMD no broadcast crosses: " + lonely.devices());
            }
            try (BacnetStack foreign = BacnetStack.open(4103, "bms", "127.0.0.1", "127.255.255.255", q,
                    new InetSocketAddress("127.0.0.2", p), 60);
                 BacnetLink link = new BacnetLink(foreign, scheduler, writer, (id, v, s) -> values.put(id, v), 60)) {
                link.start();
                await(() -> link.devices().stream().anyMatch(d -> d.instance() == 4101), "device behind the BBMD");
                assertEquals("127.0.0.3:" + p, link.devices().stream().filter(d -> d.instance() == 4101)
                        .findFirst().orElseThrow().address());
                link.put(1, new BacnetBindingSettings(4101, BacnetObjectType.ANALOG_VALUE, 0,
                        PropertyIdentifier.presentValue, null, true, false, 0.0, 60));
                await(() -> "COV".equals(link.status(1).mode()), "COV through the BBMD's network");
                av.writePropertyInternal(PropertyIdentifier.presentValue, new Real(42f));
                await(() -> new Real(42f).equals(values.get(1L)), "the change");
            }
        } finally {
            scheduler.shutdownNow();
            writer.shutdownNow();
        }
    }

    @Test
    void aBbmdThatDoesNotAnswerIsAnErrorAndNothingStaysOpen() throws Exception {
        int q = freePort();
        int nobody = freePort();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> BacnetStack.open(4104, "bms",
                "127.0.0.1", "127.255.255.255", q, new InetSocketAddress("127.0.0.2", nobody), 60).close());
        assertTrue(String.valueOf(e.getMessage()).length() > 0, e.toString());
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), q))) {
            assertEquals(q, again.getLocalPort(), "the failed stack released its port");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), "timed out waiting for " + what);
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }
}
