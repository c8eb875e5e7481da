package org.bmsmqtt.ra.session;

import org.bmsmqtt.ra.api.BrokerSpec;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.Publication;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What we say to Paho and how we read what it says: connect options, messages both ways, errors in words. */
final class Paho {

    private Paho() {
    }

    static MqttConnectionOptions options(BrokerSpec spec) throws GeneralSecurityException, IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setServerURIs(spec.serverUris().toArray(String[]::new));
        o.setAutomaticReconnect(false);
        // Resume the session: nothing the broker accepted is lost across a broker restart or a network cut.
        // (A clean first connect would drop stale subscriptions of an earlier run, but mosquitto 2.0.11 then does
        // not persist the session across its own restart: 4,365 of 10,000 messages lost in InboundReliabilityTest.)
        o.setCleanStart(false);
        o.setSessionExpiryInterval(spec.sessionExpirySeconds());
        o.setKeepAliveInterval(spec.keepAliveSeconds());
        o.setConnectionTimeout(spec.connectTimeoutSeconds());
        o.setReceiveMaximum(spec.receiveMaximum());
        o.setTopicAliasMaximum(0); // aliases + persisted QoS 1/2 send Paho into an endless reconnect loop (#1104)
        if (spec.usesTls()) {
            o.setSocketFactory(TlsContexts.socketFactory(spec.tls()));
            o.setHttpsHostnameVerificationEnabled(spec.tls().hostnameVerification());
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        if (spec.availability().enabled()) {
            // the broker publishes it when the connection dies without a DISCONNECT: a crash, kill -9, a network cut
            o.setWill(spec.availability().topic(), availabilityMessage(spec.availability().offline()));
        }
        if (!spec.username().isEmpty()) {
            o.setUserName(spec.username());
        }
        if (!spec.password().isEmpty()) {
            o.setPassword(spec.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    /** Birth and will alike: QoS 1 and retained, so a consumer subscribing later learns the state at once. */
    static org.eclipse.paho.mqttv5.common.MqttMessage availabilityMessage(String payload) {
        org.eclipse.paho.mqttv5.common.MqttMessage m =
                new org.eclipse.paho.mqttv5.common.MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        return m;
    }

    /** A reason a person can act on: MQTT reason code and text, plus the root cause. */
    static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        if (failure instanceof MqttException me && me.getReasonCode() == 0 && failure.getCause() != null) {
            sb.append("connection failed"); // Paho's "Untranslated MqttException": the cause below says it all
        } else if (failure instanceof MqttException me) {
            sb.append("MQTT reason code ").append(me.getReasonCode()).append(": ").append(me.getMessage());
        } else {
            sb.append(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage());
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != failure) {
            sb.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        return sb.toString();
    }

    /** {@code expirySeconds}: what is left of the message expiry (0: none). */
    static org.eclipse.paho.mqttv5.common.MqttMessage toPaho(Publication publication, long expirySeconds) {
        org.eclipse.paho.mqttv5.common.MqttMessage message =
                new org.eclipse.paho.mqttv5.common.MqttMessage(publication.payload());
        message.setQos(publication.qos());
        message.setRetained(publication.retained());
        MqttProperties properties = new MqttProperties();
        if (!publication.userProperties().isEmpty()) {
            List<UserProperty> user = new ArrayList<>(publication.userProperties().size());
            publication.userProperties().forEach((k, v) -> user.add(new UserProperty(k, v)));
            properties.setUserProperties(user);
        }
        if (!publication.contentType().isEmpty()) {
            properties.setContentType(publication.contentType());
        }
        if (expirySeconds > 0) {
            properties.setMessageExpiryInterval(expirySeconds);
        }
        if (!publication.responseTopic().isEmpty()) {
            properties.setResponseTopic(publication.responseTopic());
        }
        if (publication.correlationData().length > 0) {
            properties.setCorrelationData(publication.correlationData());
        }
        message.setProperties(properties);
        return message;
    }

    static MqttMessage fromPaho(String session, String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        Map<String, String> userProperties = Map.of();
        MqttProperties props = message.getProperties();
        if (props != null && props.getUserProperties() != null && !props.getUserProperties().isEmpty()) {
            userProperties = new HashMap<>();
            for (UserProperty p : props.getUserProperties()) {
                userProperties.put(p.getKey(), p.getValue());
            }
        }
        return new MqttMessage(session, topic, message.getPayload(), message.getQos(), message.isRetained(),
                userProperties, props == null ? "" : props.getContentType(),
                props == null ? "" : props.getResponseTopic(), props == null ? null : props.getCorrelationData());
    }

    /** CONNACK property Subscription Identifiers Available (MQTT 5 3.2.2.3.12): absent means yes. */
    static boolean identifiersAvailable(IMqttToken token) {
        try {
            MqttProperties p = token.getResponseProperties();
            return p == null || p.isSubscriptionIdentifiersAvailable();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** CONNACK property Receive Maximum (MQTT 5 3.2.2.3.3); null when absent (65,535). */
    static Integer receiveMaximum(IMqttToken token) {
        MqttProperties p = token.getResponseProperties();
        return p == null ? null : p.getReceiveMaximum();
    }
}
