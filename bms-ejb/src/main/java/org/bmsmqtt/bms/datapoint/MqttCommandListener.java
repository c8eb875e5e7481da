package org.bmsmqtt.bms.datapoint;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.bmsmqtt.ra.api.MqttMessage;
import org.bmsmqtt.ra.api.MqttMessageListener;

import java.util.List;

/**
 * Receives every message of the subscriptions the broker registry makes at run time ({@code subscriptionMode=runtime})
 * and hands it to the datapoint engine.
 * <p>
 * The resource adapter's name differs between a standalone RAR ({@code mqtt-ra}, Payara Micro) and the RAR inside
 * the EAR ({@code bms#mqtt-ra}). Payara expands the key when it reads the annotation, before the application's own
 * configuration exists, so the EAR's value must come from server-level configuration (see the README).
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "${MPCONFIG=bms.mqtt.resource-adapter:mqtt-ra}"),
        @ActivationConfigProperty(propertyName = "subscriptionMode", propertyValue = "runtime")
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // hot path: no transaction per message
public class MqttCommandListener implements MqttMessageListener {

    @EJB
    private DatapointEngine engine;
    private java.util.function.Consumer<MqttMessage> path;

    @jakarta.annotation.PostConstruct
    void init() {
        path = engine.directPath(); // one container call per MDB instance, not one per message
    }

    @Override
    public void onMessage(MqttMessage message) {
        path.accept(message);
    }

    /**
     * The engine's own entry, for the adapter to call without a container invocation per message: this bean is
     * NOT_SUPPORTED and the engine's path opens no transaction, uses no security identity and no request scope, so
     * the container added only its cost (about a fifth of a relayed message's CPU, JFR of the relay benchmark).
     */
    @Override
    public java.util.function.Consumer<MqttMessage> directPath() {
        return path;
    }

    /**
     * Declared here, not inherited: the class's NOT_SUPPORTED covers only methods of the bean class, and the
     * interface's default method ran with the default REQUIRED, i.e. a JTA transaction begun and committed per batch.
     */
    @Override
    public void onMessages(List<MqttMessage> messages) {
        for (MqttMessage m : messages) {
            path.accept(m);
        }
    }
}
