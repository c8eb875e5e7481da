package org.bmsmqtt.it.bench;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The baseline subscriber, run as its own JVM like the BMS is: a bare Paho v5 client that subscribes, prints
 * {@code READY}, counts messages and prints {@code GOT n} every 50 ms (QoS 0 messages may be dropped on the way, so
 * the count may never reach the expected one) and {@code DONE} when it has them all.
 * Arguments: server URI, topic filter, QoS, expected count, time limit in seconds.
 */
public final class BareSubscriber {

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String filter = args[1];
        int qos = Integer.parseInt(args[2]);
        long expected = Long.parseLong(args[3]);
        long limitSeconds = Long.parseLong(args[4]);
        CountDownLatch all = new CountDownLatch(1);
        long[] count = new long[1]; // written by Paho's one callback thread; a stale read only delays a report
        MqttAsyncClient c = new MqttAsyncClient(uri, "bench-bare-" + System.nanoTime(), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (++count[0] == expected) {
                    all.countDown();
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setReceiveMaximum(1000);
        c.connect(o).waitForCompletion(10_000);
        c.subscribe(filter, qos).waitForCompletion(10_000);
        System.out.println("READY");
        System.out.flush();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        while (!all.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
            System.out.println("GOT " + count[0]);
            System.out.flush();
        }
        System.out.println(all.getCount() == 0 ? "DONE" : "GOT " + count[0]);
        System.out.flush();
        c.disconnect().waitForCompletion(5000);
        c.close();
        System.exit(0);
    }
}
