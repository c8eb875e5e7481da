package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.LocalDevice;
import com.serotonin.bacnet4j.npdu.ip.IpNetwork;
import com.serotonin.bacnet4j.npdu.ip.IpNetworkBuilder;
import com.serotonin.bacnet4j.transport.DefaultTransport;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.CharacterString;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * One BACnet/IP local device bound to one address: BACnet4J's {@link LocalDevice} on an {@link IpNetwork} plus, when
 * the bind address is not the wildcard, a {@link BroadcastReceiver} so that Who-Is and I-Am broadcasts are heard.
 * The broadcast address is always explicit: BACnet4J's default (255.255.255.255) would leave the machine.
 */
public final class BacnetStack implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 3000;
    static final int RETRIES = 1;

    private final LocalDevice device;
    private final BroadcastReceiver broadcasts;

    private BacnetStack(LocalDevice device, BroadcastReceiver broadcasts) {
        this.device = device;
        this.broadcasts = broadcasts;
    }

    /** Opens and initializes the local device (sends its I-Am to the broadcast address). */
    public static BacnetStack open(int instance, String name, String bindAddress, String broadcastAddress, int port)
            throws Exception {
        return open(instance, name, bindAddress, broadcastAddress, port, null, 0);
    }

    /**
     * As {@link #open(int, String, String, String, int)}, and when {@code bbmd} is given, registers with that BBMD as
     * a foreign device for {@code ttlSeconds} (BACnet4J renews the registration before it runs out): broadcasts
     * (Who-Is, I-Am) then reach the BBMD's network, for a server on another subnet than its devices.
     */
    public static BacnetStack open(int instance, String name, String bindAddress, String broadcastAddress, int port,
                                   InetSocketAddress bbmd, int ttlSeconds) throws Exception {
        IpNetwork network = new IpNetworkBuilder()
                .withLocalBindAddress(bindAddress)
                .withBroadcast(broadcastAddress, prefixLength(broadcastAddress))
                .withPort(port)
                .withReuseAddress(true)
                .build();
        DefaultTransport transport = new DefaultTransport(network);
        // An unanswered request costs timeout x (retries + 1): 3 s x 2 instead of BACnet4J's 6 s x 3, so that a
        // device that went away is noticed without holding a worker thread for 18 s per request.
        transport.setTimeout(TIMEOUT_MILLIS);
        transport.setRetries(RETRIES);
        LocalDevice device = new LocalDevice(instance, transport);
        if (name != null) {
            device.writePropertyInternal(PropertyIdentifier.objectName, new CharacterString(name));
        }
        BroadcastReceiver broadcasts = null;
        try {
            device.initialize();
            if (!IpNetwork.DEFAULT_BIND_IP.equals(bindAddress)) {
                broadcasts = BroadcastReceiver.open(network, broadcastAddress, network.getLocalBindAddress());
            }
            if (bbmd != null) {
                network.registerAsForeignDevice(bbmd, ttlSeconds);
            }
        } catch (Exception | Error e) {
            if (broadcasts != null) {
                broadcasts.close();
            }
            terminate(device);
            throw e;
        }
        return new BacnetStack(device, broadcasts);
    }

    /** The subnet prefix implied by a directed broadcast address: its trailing 255 octets are the host part. */
    static int prefixLength(String broadcastAddress) {
        String[] octets = broadcastAddress.split("\\.");
        int host = 0;
        for (int i = octets.length - 1; i >= 0 && "255".equals(octets[i]); i--) {
            host++;
        }
        return 32 - 8 * host;
    }

    public LocalDevice device() {
        return device;
    }

    public InetSocketAddress localAddress() {
        return ((IpNetwork) device.getNetwork()).getLocalBindAddress();
    }

    @Override
    public void close() {
        if (broadcasts != null) {
            broadcasts.close();
        }
        terminate(device);
    }

    /**
     * Terminates the device and waits (bounded) for BACnet4J's socket listener to end. On Java 17 a datagram socket
     * closed while another thread is blocked in receive is released only when that thread leaves receive, and
     * {@code IpNetwork.terminate()} does not wait for it: without the join, a stack opened again at once on the same
     * port (an operator's re-apply, a retry) could find it still taken.
     */
    private static void terminate(LocalDevice device) {
        device.terminate();
        if (device.getNetwork() instanceof IpNetwork network && LISTENER != null
                && LISTENER.get(network) instanceof Thread listener) {
            try {
                listener.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final VarHandle LISTENER = listenerHandle();

    private static VarHandle listenerHandle() {
        try {
            return MethodHandles.privateLookupIn(IpNetwork.class, MethodHandles.lookup())
                    .findVarHandle(IpNetwork.class, "thread", Thread.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another BACnet4J: close without the wait, as BACnet4J itself does
        }
    }
}
