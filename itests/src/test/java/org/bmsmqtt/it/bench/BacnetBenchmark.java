package org.bmsmqtt.it.bench;

import com.serotonin.bacnet4j.LocalDevice;
import com.serotonin.bacnet4j.RemoteDevice;
import com.serotonin.bacnet4j.event.DeviceEventAdapter;
import com.serotonin.bacnet4j.obj.AnalogValueObject;
import com.serotonin.bacnet4j.service.confirmed.SubscribeCOVRequest;
import com.serotonin.bacnet4j.service.confirmed.WritePropertyRequest;
import com.serotonin.bacnet4j.type.Encodable;
import com.serotonin.bacnet4j.type.constructed.PropertyValue;
import com.serotonin.bacnet4j.type.constructed.SequenceOf;
import com.serotonin.bacnet4j.type.enumerated.EngineeringUnits;
import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.Boolean;
import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import org.bmsmqtt.bms.bacnet.BacnetStack;
import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * BACnet latency end to end, against baselines measured in the same run on the same peers: a device's change -> the
 * MQTT report (COV path), and an MQTT command -> the property written on the device, through Payara Micro (its own
 * process, H2) with a BACnet4J device in this JVM on 127.0.0.2 and a mosquitto of its own. The BMS binds 127.0.0.1,
 * a bare BACnet4J client 127.0.0.3, all on one free UDP port, broadcasts to 127.255.255.255 only. Baselines: the bare
 * client's COV subscription (device change -> its notification) and its WriteProperty (-> the device's property
 * changes): one BACnet hop each; and a bare Paho publish -> receive on the same mosquitto (one MQTT hop). Values are
 * sequence numbers (exact as BACnet Real up to 2^24), so every sample is matched exactly. Bounded in count and time.
 */
public final class BacnetBenchmark {

    static final int RATE = Integer.getInteger("bench.bacnet.rate", 50);
    static final int COUNT = Integer.getInteger("bench.bacnet.count", 1000);
    static final int WARMUP = Integer.getInteger("bench.bacnet.warmup", 200);
    static final int DATAPOINTS = 10;
    /** The bare client's objects: BARE..BARE+DATAPOINTS-1 (the BMS is bound to 0..DATAPOINTS-1). */
    static final int BARE = 100;
    static final int DEVICE = 280001;
    static final int PRIORITY = 8;
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Latency latency = new Latency(RATE);

    public static void main(String[] args) throws Exception {
        new BacnetBenchmark().run();
        System.exit(0);
    }

    void run() throws Exception {
        Path build = Path.of(System.getProperty("it.build.dir", "target")).toAbsolutePath();
        Path dir = build.resolve("bench-bacnet");
        int port = freeUdpPort();
        try (Mosquitto broker = Mosquitto.onFreePort(dir).start();
             Device device = new Device(port);
             BareClient bare = new BareClient(port);
             MicroProcess micro = new MicroProcess(build, dir.resolve("micro"), Map.of(
                     "bms.data.dir", dir.resolve("data-" + System.nanoTime()).toString(),
                     "bms.mqtt.server-uri", broker.uri(), "bms.mqtt.client-id", "bms-bench-bacnet",
                     "bms.mqtt.reconnect-interval", "1", "bms.server-id", "bms-bench-bacnet",
                     "bms.admin.password", Http.ADMIN_PASSWORD, "bms.integrated-broker.start-at-boot", "false"))) {
            micro.start();
            Http api = new Http(micro.api());
            setUp(api, broker, port);
            bare.subscribe(device);
            try (Latency.Publisher barePaho = new Latency.Publisher(broker, "bacbench/bare/", "/set", DATAPOINTS,
                         "bacbench");
                 Latency.Publisher commands = new Latency.Publisher(broker, "bacbench/", "/set", DATAPOINTS, "bacbench");
                 Latency.Watcher bareWatch = new Latency.Watcher(broker, "bacbench/bare/+/set", "bacbench-watch");
                 Latency.Watcher reports = new Latency.Watcher(broker, "bacbench/+/state", "bacbench-watch")) {
                System.out.println("== warm-up: " + WARMUP + " samples per path, then " + COUNT + " measured");
                for (boolean keep : new boolean[] {false, true}) {
                    int n = keep ? COUNT : WARMUP;
                    latency.measure(keep, "bare BACnet4J change -> COV", n,
                            i -> device.change(BARE + i % DATAPOINTS, i), bare);
                    latency.measure(keep, "bare BACnet4J WriteProperty", n,
                            i -> bare.write(device, BARE + i % DATAPOINTS, i), device.written);
                    latency.measure(keep, "bare Paho publish -> receive", n, barePaho, bareWatch);
                    latency.measure(keep, "BMS device change -> MQTT report", n,
                            i -> device.change(i % DATAPOINTS, i), reports);
                    latency.measure(keep, "BMS MQTT command -> written", n, commands, device.written);
                }
            }
            System.out.println("   network " + api.get("bacnet/network/status").body());
            System.out.println("   binding " + api.get("bacnet/bindings?datapoint=bacbench-0").body());
        }
        print();
    }

    /** One broker, the BACnet network, DATAPOINTS REAL datapoints bound to MQTT (QoS 0) and to AV 0..9 by COV. */
    private void setUp(Http api, Mosquitto broker, int port) throws InterruptedException {
        long brokerId = Latency.id(api.postJson("brokers", "{\"name\": \"bench\", \"host\": \"127.0.0.1\", \"port\": "
                + broker.port() + ", \"clientId\": \"bms-bench-bacnet-out\", \"reconnectIntervalSeconds\": 1}"));
        Http.Response net = api.putJson("bacnet/network", "{\"deviceInstance\": 280000, \"deviceName\": \"bms-bench\", "
                + "\"port\": " + port + ", \"bindAddress\": \"127.0.0.1\", \"broadcastAddress\": \"127.255.255.255\"}");
        if (net.status() != 200) {
            throw new IllegalStateException("network: " + net.status() + " " + net.body());
        }
        long[] bindings = new long[DATAPOINTS];
        for (int i = 0; i < DATAPOINTS; i++) {
            String dp = "bacbench-" + i;
            Latency.id(api.postJson("datapoints", "{\"name\": \"" + dp + "\", \"dataType\": \"REAL\", "
                    + "\"accessMode\": \"READ_WRITE\", \"persistent\": false}"));
            Latency.id(api.postJson("datapoints/" + dp + "/bindings", "{\"brokerId\": " + brokerId
                    + ", \"commandTopic\": \"bacbench/" + i + "/set\", \"reportTopic\": \"bacbench/" + i + "/state\", "
                    + "\"qos\": 0}"));
            bindings[i] = Latency.id(api.postJson("bacnet/bindings", "{\"datapoint\": \"" + dp + "\", "
                    + "\"deviceInstance\": " + DEVICE + ", \"objectType\": \"analog-value\", \"objectInstance\": " + i
                    + ", \"writePriority\": " + PRIORITY + ", \"covIncrement\": 0}"));
        }
        Http.Response b = api.await("brokers/" + brokerId + "/status", x -> x.status() == 200
                && x.json().getString("state").equals("CONNECTED"), WAIT);
        if (!b.body().contains("\"CONNECTED\"")) {
            throw new IllegalStateException("broker not connected: " + b.body());
        }
        for (long id : bindings) {
            Http.Response s = api.await("bacnet/bindings/" + id + "/status", x -> x.status() == 200
                    && x.json().getString("mode").equals("COV"), WAIT);
            if (!s.body().contains("\"COV\"")) {
                throw new IllegalStateException("binding " + id + " not subscribed: " + s.body());
            }
        }
        // The command topics are subscribed shortly after the bindings are stored: wait until a command is written.
        try (Latency.Publisher probe = new Latency.Publisher(broker, "bacbench/", "/set", DATAPOINTS, "bacbench")) {
            long end = System.nanoTime() + WAIT.toNanos();
            int seq = -DATAPOINTS * 1000; // negative: never one of the measured numbers
            while (!api.get("bacnet/bindings/" + bindings[0] + "/status").body().contains("\"writes\":1")) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no MQTT command reached the device");
                }
                probe.accept(seq);
                seq -= DATAPOINTS;
                Thread.sleep(200);
            }
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IllegalStateException("setup: " + e.getMessage(), e);
        }
    }

    private void print() {
        System.out.println();
        System.out.println("== BACnet benchmark (" + COUNT + " samples per path at " + RATE + "/s; BACnet/IP on "
                + "loopback, unconfirmed COV, WriteProperty at priority " + PRIORITY + "; same device, same mosquitto, "
                + "same run)");
        latency.printResults();
        latency.printRatio("BMS device change -> MQTT report", "bare BACnet4J change -> COV",
                "bare Paho publish -> receive");
        latency.printRatio("BMS MQTT command -> written", "bare BACnet4J WriteProperty",
                "bare Paho publish -> receive");
    }

    // --- peers --------------------------------------------------------------------------------------------------

    /** The BACnet device: commandable analog values with COV (increment 0: every change), writes timed. */
    static final class Device implements AutoCloseable {
        final BacnetStack stack;
        final Map<Integer, AnalogValueObject> objects = new java.util.HashMap<>();
        final Written written = new Written();

        Device(int port) throws Exception {
            stack = BacnetStack.open(DEVICE, "bench-device", "127.0.0.2", "127.255.255.255", port);
            for (int base : new int[] {0, BARE}) {
                for (int i = base; i < base + DATAPOINTS; i++) {
                    AnalogValueObject av = new AnalogValueObject(stack.device(), i, "av" + i, 0f,
                            EngineeringUnits.noUnits, false).supportCommandable(0f).supportCovReporting(0f);
                    av.addListener((pid, old, now) -> {
                        if (pid.equals(PropertyIdentifier.presentValue) && now instanceof Real r) {
                            written.seen((int) r.floatValue(), System.nanoTime());
                        }
                    });
                    objects.put(i, av);
                }
            }
            stack.device().sendGlobalBroadcast(stack.device().getIAm());
        }

        /** A change on the device itself (a sensor reading): present-value, which sends the COV notifications. */
        void change(int object, int value) {
            objects.get(object).writePropertyInternal(PropertyIdentifier.presentValue, new Real(value));
        }

        @Override
        public void close() {
            stack.close();
        }
    }

    /** Present values the device takes, timed (measured only while a write path runs). */
    static final class Written implements Latency.Receiver {
        private volatile Latency.Arrival arrival;

        void seen(int value, long nanos) {
            Latency.Arrival a = arrival;
            if (a != null) {
                a.at(value, nanos);
            }
        }

        @Override
        public void arrival(Latency.Arrival a) {
            arrival = a;
        }
    }

    /** A bare BACnet4J client device: subscribes COV to the bare objects, writes them, times notifications. */
    static final class BareClient implements Latency.Receiver, AutoCloseable {
        private final BacnetStack stack;
        private volatile Latency.Arrival arrival;
        private RemoteDevice remote;

        BareClient(int port) throws Exception {
            stack = BacnetStack.open(280002, "bench-client", "127.0.0.3", "127.255.255.255", port);
            stack.device().getEventHandler().addListener(new DeviceEventAdapter() {
                @Override
                public void covNotificationReceived(UnsignedInteger process, ObjectIdentifier initiating,
                                                    ObjectIdentifier object, UnsignedInteger timeRemaining,
                                                    SequenceOf<PropertyValue> values) {
                    long now = System.nanoTime();
                    Latency.Arrival a = arrival;
                    for (PropertyValue pv : values) {
                        Encodable v = pv.getValue();
                        if (a != null && pv.getPropertyIdentifier().equals(PropertyIdentifier.presentValue)
                                && v instanceof Real r) {
                            a.at((int) r.floatValue(), now);
                        }
                    }
                }
            });
        }

        /** Finds the device and subscribes (unconfirmed, an hour) to the bare objects' COV. */
        void subscribe(Device device) throws Exception {
            LocalDevice local = stack.device();
            remote = local.getRemoteDeviceBlocking(DEVICE, 10_000);
            for (int i = BARE; i < BARE + DATAPOINTS; i++) {
                local.send(remote, new SubscribeCOVRequest(new UnsignedInteger(i), device.objects.get(i).getId(),
                        Boolean.FALSE, new UnsignedInteger(3600))).get();
            }
        }

        /** A WriteProperty of present-value at the benchmark's priority, answered before the next one goes. */
        void write(Device device, int object, int value) {
            try {
                stack.device().send(remote, new WritePropertyRequest(device.objects.get(object).getId(),
                        PropertyIdentifier.presentValue, null, new Real(value), new UnsignedInteger(PRIORITY))).get();
            } catch (Exception e) {
                throw new IllegalStateException("write: " + e.getMessage(), e);
            }
        }

        @Override
        public void arrival(Latency.Arrival a) {
            arrival = a;
        }

        @Override
        public void close() {
            stack.close();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }
}
