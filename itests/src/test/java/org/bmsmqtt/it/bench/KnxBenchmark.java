package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.KnxPeer;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.QuietCallback;
import org.bmsmqtt.ra.testing.TcpNoDelaySockets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import tuwien.auto.calimero.DataUnitBuilder;
import tuwien.auto.calimero.DetachEvent;
import tuwien.auto.calimero.GroupAddress;
import tuwien.auto.calimero.Priority;
import tuwien.auto.calimero.link.KNXNetworkLink;
import tuwien.auto.calimero.link.KNXNetworkLinkIP;
import tuwien.auto.calimero.link.medium.TPSettings;
import tuwien.auto.calimero.process.ProcessCommunicatorImpl;
import tuwien.auto.calimero.process.ProcessEvent;
import tuwien.auto.calimero.process.ProcessListener;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * KNX latency end to end, against baselines measured in the same run on the same peers: MQTT command -> group write
 * seen on the bus, and bus group write -> MQTT report, through Payara Micro (its own process, H2), with Calimero's
 * KNXnet/IP server and virtual subnet on 127.0.0.1 (tunnelling over UDP, no multicast) and a mosquitto of its own.
 * Baselines: a bare Calimero tunnelling client's group write seen by another client on the same server (one bus hop),
 * and a bare Paho publish seen by a subscriber on the same mosquitto (one MQTT hop). Commands are sent at a fixed
 * rate (a TP1 line carries about 50 telegrams/s); values are sequence numbers as DPT 13.001, so every sample is
 * matched exactly. Bounded in count and time; loopback only.
 */
public final class KnxBenchmark {

    static final int RATE = Integer.getInteger("bench.knx.rate", 50);
    static final int COUNT = Integer.getInteger("bench.knx.count", 1000);
    static final int WARMUP = Integer.getInteger("bench.knx.warmup", 200);
    static final int DATAPOINTS = 10;
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Latency latency = new Latency(RATE);

    public static void main(String[] args) throws Exception {
        new KnxBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        Path build = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
        Path dir = build.resolve("bench-knx");
        try (Mosquitto broker = Mosquitto.onFreePort(dir).start();
             KnxPeer peer = new KnxPeer(dir.resolve("knx")).start(Duration.ofSeconds(30));
             MicroProcess micro = new MicroProcess(build, dir.resolve("micro"), Map.of(
                     "bms.data.dir", dir.resolve("data-" + System.nanoTime()).toString(),
                     "bms.mqtt.server-uri", broker.uri(), "bms.mqtt.client-id", "bms-bench-knx",
                     "bms.mqtt.reconnect-interval", "1", "bms.server-id", "bms-bench-knx",
                     "bms.admin.password", Http.ADMIN_PASSWORD, "bms.integrated-broker.start-at-boot", "false"))) {
            micro.start();
            Http api = new Http(micro.api());
            setUp(api, broker, peer);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.port());
            try (BusClient device = new BusClient(server); BusClient sender = new BusClient(server);
                 Latency.Publisher bare = new Latency.Publisher(broker, "knxbench/bare/", "/set", DATAPOINTS, "knxbench");
                 Latency.Publisher commands = new Latency.Publisher(broker, "knxbench/", "/set", DATAPOINTS, "knxbench");
                 Latency.Watcher bareWatch = new Latency.Watcher(broker, "knxbench/bare/+/set", "knxbench-watch");
                 Latency.Watcher reports = new Latency.Watcher(broker, "knxbench/+/state", "knxbench-watch")) {
                System.out.println("== warm-up: " + WARMUP + " samples per path, then " + COUNT + " measured");
                for (boolean keep : new boolean[] {false, true}) {
                    int n = keep ? COUNT : WARMUP;
                    latency.measure(keep, "bare Calimero write -> indication", n,
                            i -> sender.write(new GroupAddress(10, 0, i % DATAPOINTS), i), device);
                    latency.measure(keep, "bare Paho publish -> receive", n, bare, bareWatch);
                    latency.measure(keep, "BMS MQTT command -> bus", n, commands, device);
                    latency.measure(keep, "BMS bus -> MQTT report", n,
                            i -> device.write(new GroupAddress(1, 1, i % DATAPOINTS), i), reports);
                }
            }
            System.out.println("   KNX connection " + api.get("knx/connections").body());
            System.out.println("   status " + api.get("knx/connections/" + connectionId + "/status").body());
        }
        print();
    }

    private long connectionId;

    /** One broker, one KNX connection, DATAPOINTS INTEGER datapoints bound to both (DPT 13.001). */
    private void setUp(Http api, Mosquitto broker, KnxPeer peer) {
        long brokerId = Latency.id(api.postJson("brokers", "{\"name\": \"bench\", \"host\": \"127.0.0.1\", \"port\": "
                + broker.port() + ", \"clientId\": \"bms-bench-knx-out\", \"reconnectIntervalSeconds\": 1}"));
        connectionId = Latency.id(api.postJson("knx/connections", "{\"name\": \"bench\", \"type\": \"TUNNELING_UDP\", "
                + "\"host\": \"127.0.0.1\", \"port\": " + peer.port() + ", \"localAddress\": \"127.0.0.1\", "
                + "\"reconnectIntervalSeconds\": 1}"));
        for (int i = 0; i < DATAPOINTS; i++) {
            String dp = "knxbench-" + i;
            Latency.id(api.postJson("datapoints", "{\"name\": \"" + dp + "\", \"dataType\": \"INTEGER\", \"persistent\": false}"));
            Latency.id(api.postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + brokerId + ", \"commandTopic\": "
                    + "\"knxbench/" + i + "/set\", \"reportTopic\": \"knxbench/" + i + "/state\", \"qos\": 0}"));
            Latency.id(api.postJson("knx/bindings", "{\"datapoint\": \"" + dp + "\", \"connectionId\": " + connectionId
                    + ", \"writeAddress\": \"1/0/" + i + "\", \"listenAddresses\": [\"1/1/" + i + "\"], "
                    + "\"dpt\": \"13.001\"}"));
        }
        awaitState(api, "brokers/" + brokerId + "/status");
        awaitState(api, "knx/connections/" + connectionId + "/status");
        // The command topics are subscribed shortly after the bindings are stored: wait until one command arrives.
        try (BusClient probe = new BusClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.port()));
             Latency.Publisher publish = new Latency.Publisher(broker, "knxbench/", "/set", DATAPOINTS, "knxbench")) {
            long end = System.nanoTime() + WAIT.toNanos();
            while (probe.seen.isEmpty()) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no MQTT command reached the bus; see " + micro(api));
                }
                publish.accept(0);
                Thread.sleep(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException("setup: " + e.getMessage(), e);
        }
    }

    private static String micro(Http api) {
        return api.get("knx/connections").body();
    }

    private void print() {
        System.out.println();
        System.out.println("== KNX benchmark (" + COUNT + " samples per path at " + RATE + "/s; tunnelling UDP to "
                + "Calimero's KNXnet/IP server on 127.0.0.1; same server, same mosquitto, same run)");
        latency.printResults();
        for (String path : new String[] {"BMS MQTT command -> bus", "BMS bus -> MQTT report"}) {
            latency.printRatio(path, "bare Calimero write -> indication", "bare Paho publish -> receive");
        }
    }

    // --- peers --------------------------------------------------------------------------------------------------

    /** A bare Calimero tunnelling client: group writes of DPT 13.001 numbers, and the ones it sees, timed. */
    static final class BusClient implements Latency.Receiver, AutoCloseable {
        private final KNXNetworkLink link;
        private final ProcessCommunicatorImpl pc;
        private volatile Latency.Arrival arrival;
        final java.util.Set<Integer> seen = ConcurrentHashMap.newKeySet();

        BusClient(InetSocketAddress server) throws Exception {
            link = KNXNetworkLinkIP.newTunnelingLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server,
                    true, new TPSettings());
            pc = new ProcessCommunicatorImpl(link);
            pc.addProcessListener(new ProcessListener() {
                @Override
                public void groupWrite(ProcessEvent e) {
                    long now = System.nanoTime();
                    byte[] asdu = e.getASDU();
                    if (asdu.length == 4) {
                        int seq = ByteBuffer.wrap(asdu).getInt();
                        Latency.Arrival a = arrival;
                        if (a != null) {
                            a.at(seq, now);
                        }
                        seen.add(seq);
                    }
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
        }

        /** A group write of {@code value} as DPT 13.001 (4 bytes, big endian); waits for the confirmation. */
        void write(GroupAddress ga, int value) {
            try {
                link.sendRequestWait(ga, Priority.LOW, DataUnitBuilder.createAPDU(0x80,
                        ByteBuffer.allocate(4).putInt(value).array()));
            } catch (Exception e) {
                throw new IllegalStateException("group write " + ga + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void arrival(Latency.Arrival a) {
            arrival = a;
        }

        @Override
        public void close() {
            pc.detach();
            link.close();
        }
    }

    private static void awaitState(Http api, String path) {
        Http.Response r = api.await(path, x -> x.status() == 200 && x.json().getString("state").equals("CONNECTED"), WAIT);
        if (!r.body().contains("\"CONNECTED\"")) {
            throw new IllegalStateException(path + " not connected: " + r.body());
        }
    }
}
