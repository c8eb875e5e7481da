package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.Publication;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Paho's side of the {@link OutboundQueue}: hands a publication to the current client and reports what became of it. */
final class PahoWire implements OutboundQueue.Wire {

    private final String session;
    private final Supplier<MqttAsyncClient> client;
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> failed;
    /** The broker's Receive Maximum from the last CONNACK (MQTT 5: absent means 65,535): Paho's in-flight window. */
    private volatile int window = 65_535;

    PahoWire(String session, Supplier<MqttAsyncClient> client, ScheduledExecutorService scheduler,
             Consumer<String> failed) {
        this.session = session;
        this.client = client;
        this.scheduler = scheduler;
        this.failed = failed;
    }

    @Override
    public OutboundQueue.Sent send(Publication publication, long expirySeconds, Runnable done) {
        MqttAsyncClient c = client.get();
        if (!c.isConnected()) {
            return OutboundQueue.Sent.NOT_CONNECTED;
        }
        if (c.getInFlightMessageCount() >= window) {
            // what Paho would refuse with 32202, found without a token and an exception per try
            return OutboundQueue.Sent.WINDOW_FULL;
        }
        try {
            c.publish(publication.topic(), Paho.toPaho(publication, expirySeconds), null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            done.run();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            done.run();
                            // QoS 1/2 stay in the client's session state and go again after the reconnect.
                            if (publication.qos() == 0 || !connectionGone(failure)) {
                                failed.accept("QoS " + publication.qos() + " publication not delivered: "
                                        + Paho.describe(failure));
                            }
                        }
                    });
            return OutboundQueue.Sent.SENT;
        } catch (MqttException e) {
            return switch (e.getReasonCode()) {
                case MqttClientException.REASON_CODE_MAX_INFLIGHT,
                        MqttClientException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE -> OutboundQueue.Sent.WINDOW_FULL;
                case MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
                        MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
                        MqttClientException.REASON_CODE_CONNECTION_LOST,
                        MqttClientException.REASON_CODE_CLIENT_CLOSED -> OutboundQueue.Sent.NOT_CONNECTED;
                default -> throw new IllegalStateException("publish to " + publication.topic() + " on "
                        + session + " failed: " + Paho.describe(e), e);
            };
        }
    }

    /** From the CONNACK: how many QoS 1/2 publications the broker takes in flight. */
    void window(Integer receiveMaximum) {
        window = receiveMaximum == null || receiveMaximum < 1 ? 65_535 : receiveMaximum;
    }

    @Override
    public void later(long millis, Runnable task) {
        scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    static boolean connectionGone(Throwable failure) {
        if (failure instanceof MqttException me) {
            int rc = me.getReasonCode();
            return rc == MqttClientException.REASON_CODE_CONNECTION_LOST
                    || rc == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING
                    || rc == MqttClientException.REASON_CODE_CLIENT_CLOSED
                    || rc == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED;
        }
        return true;
    }
}
