package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Peers;
import tuwien.auto.calimero.DetachEvent;
import tuwien.auto.calimero.GroupAddress;
import tuwien.auto.calimero.Priority;
import tuwien.auto.calimero.link.KNXNetworkLink;
import tuwien.auto.calimero.link.KNXNetworkLinkIP;
import tuwien.auto.calimero.link.medium.TPSettings;
import tuwien.auto.calimero.process.ProcessCommunicatorImpl;
import tuwien.auto.calimero.process.ProcessEvent;
import tuwien.auto.calimero.process.ProcessListener;
import tuwien.auto.calimero.server.Launcher;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real KNX peer in the test JVM: Calimero's KNXnet/IP server with a virtual KNX subnet on 127.0.0.1 (discovery and
 * routing off: no multicast group joined, nothing leaves the machine), and {@link Device}, a second tunnelling client
 * on it that sees and sends group telegrams like a KNX device on the bus.
 */
public final class KnxPeer implements AutoCloseable {

    private final int port;
    private final Path config;
    private Launcher launcher;
    private Thread thread;

    public KnxPeer(Path dir) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        config = dir.resolve("knx-server-" + port + ".xml");
        Files.writeString(config, """
                <?xml version="1.0" encoding="UTF-8"?>
                <knxServer name="bms-it" friendlyName="BMS IT KNXnet/IP server" appData="%s">
                  <discovery listenNetIf="lo" outgoingNetIf="lo" activate="false" />
                  <serviceContainer activate="true" routing="false" networkMonitoring="false" udpPort="%d" listenNetIf="lo">
                    <knxAddress type="individual">7.1.0</knxAddress>
                    <knxSubnet type="virtual">bms-it-subnet</knxSubnet>
                    <groupAddressFilter />
                    <additionalAddresses>
                      <knxAddress type="individual">7.1.10</knxAddress>
                      <knxAddress type="individual">7.1.11</knxAddress>
                      <knxAddress type="individual">7.1.12</knxAddress>
                      <knxAddress type="individual">7.1.13</knxAddress>
                    </additionalAddresses>
                  </serviceContainer>
                </knxServer>
                """.formatted(dir.toAbsolutePath(), port)); // appData: where the server keeps its state (<name>-ios.xml)
    }

    public int port() {
        return port;
    }

    /** Starts the server and returns when it answers; when it cannot, skips (or fails with CI=true) with the reason. */
    public KnxPeer start(Duration wait) throws Exception {
        launcher = new Launcher(config.toUri().toString());
        thread = new Thread(launcher, "knx-peer-" + port);
        thread.setDaemon(true);
        thread.start();
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (answers()) {
                return this;
            }
            Thread.sleep(50);
        }
        String reason = "Calimero KNXnet/IP server on 127.0.0.1:" + port + " did not answer";
        if (Peers.ci()) {
            throw new AssertionError("CI=true and a peer is missing: " + reason);
        }
        System.out.println("SKIPPED (peer missing): " + reason);
        org.junit.jupiter.api.Assumptions.abort(reason);
        return this;
    }

    public void stop() throws InterruptedException {
        if (launcher != null) {
            launcher.quit();
            thread.join(30_000);
            launcher = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public Device device() throws Exception {
        return new Device(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** A KNXnet/IP description request (unicast, answer to the sender): quicker than a client connect's 10 s. */
    private boolean answers() throws IOException {
        byte[] request = {0x06, 0x10, 0x02, 0x03, 0x00, 0x0e, 0x08, 0x01, 0, 0, 0, 0, 0, 0};
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(200);
            s.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
            byte[] buf = new byte[512];
            DatagramPacket response = new DatagramPacket(buf, buf.length);
            s.receive(response);
            return response.getLength() > 4 && buf[2] == 0x02 && buf[3] == 0x04;
        } catch (java.net.SocketTimeoutException | java.net.PortUnreachableException e) {
            return false;
        }
    }

    /**
     * A tunnelling client on the peer: group writes it sees (as "1/2/3=0c33"), read requests ("read 1/2/3") and
     * responses ("response 1/2/3=0c33"), and group writes and reads it sends.
     */
    public static final class Device implements AutoCloseable {
        private final KNXNetworkLink link;
        private final ProcessCommunicatorImpl pc;
        private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        private final java.util.Map<GroupAddress, byte[]> answers = new java.util.concurrent.ConcurrentHashMap<>();

        Device(InetSocketAddress server) throws Exception {
            link = KNXNetworkLinkIP.newTunnelingLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server,
                    true, new TPSettings());
            pc = new ProcessCommunicatorImpl(link);
            pc.addProcessListener(new ProcessListener() {
                @Override
                public void groupWrite(ProcessEvent e) {
                    seen.add(e.getDestination() + "=" + HexFormat.of().formatHex(e.getASDU()));
                }

                @Override
                public void groupReadRequest(ProcessEvent e) {
                    seen.add("read " + e.getDestination());
                    byte[] value = answers.get(e.getDestination());
                    if (value != null) {
                        // Not on Calimero's receiver thread: sending waits for the confirmation that thread delivers.
                        new Thread(() -> respond(e.getDestination(), value), "knx-device-response").start();
                    }
                }

                @Override
                public void groupReadResponse(ProcessEvent e) {
                    seen.add("response " + e.getDestination() + "=" + HexFormat.of().formatHex(e.getASDU()));
                }

                @Override
                public void detached(DetachEvent e) {
                }
            });
        }

        /** The next group write seen on the bus, or null after {@code wait}. */
        public String next(Duration wait) throws InterruptedException {
            return seen.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void clear() {
            seen.clear();
        }

        /** A group write of raw ASDU bytes; {@code small}: a value of at most 6 bits, carried inside the APCI. */
        public void write(String groupAddress, String asduHex, boolean small) throws Exception {
            byte[] asdu = HexFormat.of().parseHex(asduHex);
            byte[] apdu = small ? new byte[]{0, (byte) (0x80 | asdu[0] & 0x3f)}
                    : tuwien.auto.calimero.DataUnitBuilder.createAPDU(0x80, asdu);
            link.sendRequestWait(new GroupAddress(groupAddress), Priority.LOW, apdu);
        }

        /** A group read request (A_GroupValue_Read); an answer shows up in {@link #next} as "response 1/2/3=0c33". */
        public void read(String groupAddress) throws Exception {
            link.sendRequestWait(new GroupAddress(groupAddress), Priority.LOW, new byte[]{0, 0});
        }

        /** From now on, answers group reads of {@code groupAddress} with this value (a small one, at most 6 bits). */
        public void answerReads(String groupAddress, String asduHex) throws Exception {
            answers.put(new GroupAddress(groupAddress), HexFormat.of().parseHex(asduHex));
        }

        private void respond(GroupAddress ga, byte[] asdu) {
            try {
                link.sendRequestWait(ga, Priority.LOW, new byte[]{0, (byte) (0x40 | asdu[0] & 0x3f)}); // A_GroupValue_Response
            } catch (Exception e) {
                seen.add("response failed: " + e);
            }
        }

        @Override
        public void close() {
            pc.detach();
            link.close();
        }
    }
}
