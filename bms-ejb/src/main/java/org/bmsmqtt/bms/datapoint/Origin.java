package org.bmsmqtt.bms.datapoint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Marks our own MQTT publications with a user property naming this server, so a message carrying our own mark
 * is recognised when it comes back (two servers linked both ways cannot loop).
 */
@ApplicationScoped
public class Origin {

    public static final String PROPERTY = "bms-origin";

    @Inject
    @ConfigProperty(name = "bms.server-id")
    Optional<String> configured;

    private volatile String id;
    private volatile Map<String, String> mark;

    public String id() {
        if (id == null) {
            id = configured.orElseGet(Origin::hostName);
        }
        return id;
    }

    /** The same immutable map every time: no map per report, and Paho's user property list is built once for it. */
    public Map<String, String> mark() {
        Map<String, String> m = mark;
        if (m == null) {
            m = Map.of(PROPERTY, id());
            mark = m;
        }
        return m;
    }

    public boolean isOurs(Map<String, String> userProperties) {
        return id().equals(userProperties.get(PROPERTY));
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "bms";
        }
    }
}
