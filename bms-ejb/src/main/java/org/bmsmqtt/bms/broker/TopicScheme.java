package org.bmsmqtt.bms.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The foundation's topic layout: commands for datapoint {@code X} arrive on {@code <prefix>/X/set}, its changes
 * are reported on {@code <prefix>/X/state}. (Per-datapoint bindings replace this later.)
 */
@ApplicationScoped
public class TopicScheme {

    private String prefix;
    private int qos;

    protected TopicScheme() {
    }

    @Inject
    public TopicScheme(@ConfigProperty(name = "bms.mqtt.topic-prefix", defaultValue = "bms") String prefix,
                       @ConfigProperty(name = "bms.mqtt.qos", defaultValue = "1") int qos) {
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("bms.mqtt.topic-prefix: no wildcards and no trailing '/': " + prefix);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("bms.mqtt.qos: must be 0, 1 or 2, was " + qos);
        }
        this.prefix = prefix;
        this.qos = qos;
    }

    public String commandFilter() {
        return prefix + "/+/set";
    }

    public String reportTopic(String datapoint) {
        return prefix + "/" + datapoint + "/state";
    }

    public int qos() {
        return qos;
    }

    /** The datapoint a command topic addresses, if it is one. */
    public Optional<String> datapointOfCommand(String topic) {
        String start = prefix + "/";
        if (topic.startsWith(start) && topic.endsWith("/set")) {
            String name = topic.substring(start.length(), topic.length() - "/set".length());
            if (!name.isEmpty() && !name.contains("/")) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
