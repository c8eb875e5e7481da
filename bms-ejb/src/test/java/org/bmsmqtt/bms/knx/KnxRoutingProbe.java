package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.datapoint.DataType;
import tuwien.auto.calimero.DataUnitBuilder;
import tuwien.auto.calimero.DetachEvent;
import tuwien.auto.calimero.GroupAddress;
import tuwien.auto.calimero.IndividualAddress;
import tuwien.auto.calimero.Priority;
import tuwien.auto.calimero.link.KNXNetworkLink;
import tuwien.auto.calimero.link.KNXNetworkLinkIP;
import tuwien.auto.calimero.link.medium.TPSettings;
import tuwien.auto.calimero.process.ProcessCommunicatorImpl;
import tuwien.auto.calimero.process.ProcessEvent;
import tuwien.auto.calimero.process.ProcessListener;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link KnxRoutingNamespaceTest} in a child JVM inside a user + network namespace of its own (only {@code lo},
 * with a multicast route): a {@link KnxLink} of type ROUTING and a bare Calimero routing link (a KNX IP router's
 * view) on 224.0.23.12 exchange group writes both ways. Prints {@code OK <what>} or {@code FAIL <why>} lines; exit 0
 * when both directions arrived.
 */
public final class KnxRoutingProbe {

    private static final long WAIT_SECONDS = 20;

    public static void main(String[] args) throws Exception {
        int code = run();
        System.out.flush();
        System.exit(code);
    }

    private static int run() throws Exception {
        BlockingQueue<String> atLink = new LinkedBlockingQueue<>();
        BlockingQueue<String> atRouter = new LinkedBlockingQueue<>();
        var settings = new KnxConnectionSettings("routing", KnxConnectionType.ROUTING, "224.0.23.12", 3671, "127.0.0.1",
                false, 1, 2_000, true);
        KnxLink link = new KnxLink(1, settings, Thread::new, new KnxLink.Handler() {
            @Override
            public void telegram(KnxLink from, int ga, byte[] asdu) {
                atLink.add(GroupAddresses.threeLevel(ga) + "=" + HexFormat.of().formatHex(asdu));
            }

            @Override
            public void connected(KnxLink from) {
            }

            @Override
            public void readRequest(KnxLink from, int ga) {
            }
        });
        link.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (link.status().state() != KnxState.CONNECTED) {
            if (System.nanoTime() > end) {
                System.out.println("FAIL routing link not connected: " + link.status());
                return 2;
            }
            Thread.sleep(20);
        }
        KNXNetworkLink router = KNXNetworkLinkIP.newRoutingLink(NetworkInterface.getByName("lo"),
                InetAddress.getByName("224.0.23.12"), new TPSettings(new IndividualAddress(1, 1, 250)));
        ProcessCommunicatorImpl pc = new ProcessCommunicatorImpl(router);
        pc.addProcessListener(new ProcessListener() {
            @Override
            public void groupWrite(ProcessEvent e) {
                atRouter.add(e.getDestination() + "=" + HexFormat.of().formatHex(e.getASDU()));
            }

            @Override
            public void groupReadRequest(ProcessEvent e) {
            }

            @Override
            public void groupReadResponse(ProcessEvent e) {
            }

            @Override
            public void detached(DetachEvent e) {
            }
        });
        try {
            link.write(new GroupAddress(1, 2, 3), KnxDpt.of("9.001", "dpt").translator(DataType.REAL, "21.5"));
            String seen = atRouter.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            System.out.println(("1/2/3=0c33".equals(seen) ? "OK" : "FAIL") + " link -> router: " + seen);
            router.sendRequestWait(new GroupAddress(1, 2, 4), Priority.LOW,
                    DataUnitBuilder.createAPDU(0x80, new byte[]{0x0c, 0x34}));
            String got = atLink.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            System.out.println(("1/2/4=0c34".equals(got) ? "OK" : "FAIL") + " router -> link: " + got);
            return "1/2/3=0c33".equals(seen) && "1/2/4=0c34".equals(got) ? 0 : 1;
        } finally {
            pc.detach();
            router.close();
            link.close();
            link.awaitClosed(5_000);
        }
    }
}
