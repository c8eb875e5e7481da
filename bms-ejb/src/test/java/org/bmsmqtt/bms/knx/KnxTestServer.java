package org.bmsmqtt.bms.knx;

import tuwien.auto.calimero.server.Launcher;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Calimero's KNXnet/IP server with a virtual KNX subnet on 127.0.0.1, for tests: discovery and routing are off, so
 * it joins no multicast group and sends nothing off the machine. Clients tunnel to it (UDP or TCP, same port).
 */
final class KnxTestServer implements AutoCloseable {

    private final int port;
    private final Path config;
    private Launcher launcher;
    private Thread thread;

    KnxTestServer(Path dir) throws IOException {
        this(dir, freeUdpPort());
    }

    KnxTestServer(Path dir, int port) throws IOException {
        this.port = port;
        this.config = dir.resolve("knx-server-" + port + ".xml");
        Files.writeString(config, """
                <?xml version="1.0" encoding="UTF-8"?>
                <knxServer name="bms-test" friendlyName="BMS test KNXnet/IP server" appData="%s">
                  <discovery listenNetIf="lo" outgoingNetIf="lo" activate="false" />
                  <serviceContainer activate="true" routing="false" networkMonitoring="false" udpPort="%d" listenNetIf="lo">
                    <knxAddress type="individual">7.1.0</knxAddress>
                    <knxSubnet type="virtual">bms-test-subnet</knxSubnet>
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

    int port() {
        return port;
    }

    InetSocketAddress endpoint() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Starts the server and returns when its control endpoint answers (the launcher runs on its own thread). */
    KnxTestServer start() {
        launcher = new Launcher(config.toUri().toString());
        thread = new Thread(launcher, "knx-test-server-" + port);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    void stop() throws InterruptedException {
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

    /**
     * Whether the server answers a KNXnet/IP description request (unicast, NAT form: "answer where this came from").
     * Quicker than a client's connect, which waits 10 s for a server that is not up yet.
     */
    boolean answers() throws IOException {
        byte[] request = {0x06, 0x10, 0x02, 0x03, 0x00, 0x0e, 0x08, 0x01, 0, 0, 0, 0, 0, 0};
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(200);
            s.send(new java.net.DatagramPacket(request, request.length, endpoint()));
            byte[] buf = new byte[512];
            var response = new java.net.DatagramPacket(buf, buf.length);
            s.receive(response);
            return response.getLength() > 4 && buf[2] == 0x02 && buf[3] == 0x04; // DESCRIPTION_RESPONSE
        } catch (java.net.SocketTimeoutException | java.net.PortUnreachableException e) {
            return false;
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
