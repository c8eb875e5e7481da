package org.bmsmqtt.it.bench;

import org.bmsmqtt.bms.integrated.ArtemisMqttBroker;
import org.bmsmqtt.bms.integrated.BrokerAccount;
import org.bmsmqtt.bms.integrated.BrokerUsers;
import org.bmsmqtt.bms.integrated.TopicPermissions;
import org.bmsmqtt.bms.security.PasswordHash;

import java.nio.file.Path;
import java.util.Map;

/**
 * The integrated broker (the class the BMS runs) in a JVM of its own, as mosquitto runs in a process of its own:
 * authentication on, one user allowed everything. Prints {@code READY} and runs until its standard input closes.
 * Arguments: port, data folder, user, password, and optionally {@code false} to turn authentication off.
 */
public final class IntegratedBrokerProcess {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ArtemisMqttBroker broker = new ArtemisMqttBroker(new BrokerUsers());
        broker.usersChanged(Map.of(args[2], new BrokerAccount(args[2], new PasswordHash().hash(args[3].toCharArray()),
                true, TopicPermissions.ALL)));
        boolean authentication = args.length < 5 || Boolean.parseBoolean(args[4]);
        broker.start(new ArtemisMqttBroker.Options("127.0.0.1", port, authentication, 0, null, null, Path.of(args[1])));
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the benchmark closes our standard input
        }
        broker.stop();
    }
}
