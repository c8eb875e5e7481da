package org.bmsmqtt.bms.broker;

import org.bmsmqtt.bms.cluster.ClusterRole;
import org.bmsmqtt.bms.integrated.IntegratedBrokerService;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** The broker "default" of a first start, from {@code bms.mqtt.*}. */
final class DefaultBroker {

    private static final Logger LOG = Logger.getLogger(BrokerRegistry.class.getName());

    private DefaultBroker() {
    }

    /**
     * First start with an empty broker table: the broker of {@code bms.mqtt.*} becomes the broker "default". The value
     * {@code integrated} makes it the internal connection to this server's integrated broker, as the broker user
     * {@code bms.integrated-broker.internal-user} (default {@code bms}, created with every permission).
     */
    static void bootstrap(ClusterRole role, BrokerService brokers, IntegratedBrokerService integratedUsers) {
        var config = ConfigProvider.getConfig(BrokerRegistry.class.getClassLoader());
        Optional<String> uri = config.getOptionalValue("bms.mqtt.server-uri", String.class);
        if (uri.isEmpty() || !role.isMain() || !brokers.list().isEmpty()) {
            return; // a backup leaves it to the main (two first starts at once would both store it)
        }
        String clientId = config.getOptionalValue("bms.mqtt.client-id", String.class)
                .orElseGet(() -> "bms-" + org.bmsmqtt.bms.datapoint.Origin.hostName());
        int reconnect = config.getOptionalValue("bms.mqtt.reconnect-interval", Integer.class).orElse(5);
        if (BrokerRegistry.INTEGRATED.equals(uri.get())) {
            String user = config.getOptionalValue("bms.integrated-broker.internal-user", String.class).orElse("bms");
            integratedUsers.ensureInternalUser(user);
            brokers.bootstrap(new BrokerSettings("default", "brokers/default", "", 0, clientId, "", "", reconnect, 30,
                    false, List.of(), "", "", "", "", true, BrokerSettings.DEFAULT_ANTI_ECHO_MILLIS, true, user));
            LOG.info("BMS0206 created broker 'default' (the internal connection to the integrated broker as '" + user
                    + "') at first start");
            return;
        }
        try {
            brokers.bootstrap(BrokerSettings.fromServerUri(uri.get(), clientId,
                    config.getOptionalValue("bms.mqtt.username", String.class).orElse(""),
                    config.getOptionalValue("bms.mqtt.password", String.class).orElse(""), reconnect));
            LOG.info("BMS0206 created broker 'default' (" + uri.get() + ") from bms.mqtt.* at first start");
        } catch (org.bmsmqtt.bms.shared.InvalidValueException e) { // a typo in the configuration must not stop the server
            LOG.severe("BMS0212 no broker 'default' created: bms.mqtt.server-uri " + e.getMessage()
                    + "; the admin API is up: add brokers through /brokers, or fix the key and restart");
        }
    }
}
