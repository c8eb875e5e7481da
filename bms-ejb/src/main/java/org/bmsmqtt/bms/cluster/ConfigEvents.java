package org.bmsmqtt.bms.cluster;

import org.bmsmqtt.bms.bacnet.BacnetChanged;
import org.bmsmqtt.bms.broker.BrokerChanged;
import org.bmsmqtt.bms.datapoint.ConfigurationImported;
import org.bmsmqtt.bms.datapoint.DatapointsChanged;
import org.bmsmqtt.bms.integrated.IntegratedBrokerChanged;
import org.bmsmqtt.bms.knx.KnxBindingsChanged;
import org.bmsmqtt.bms.knx.KnxConnectionChanged;
import org.bmsmqtt.bms.security.UsersChanged;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The committed configuration changes one member tells the others ({@link ConfigSync}), as plain text: the kind, then
 * its fields, separated by tabs. Each is what a member's own services fire after a commit; the receivers fire the same
 * event again, so every member applies a change the way the member that made it does, from the shared database.
 */
final class ConfigEvents {

    private ConfigEvents() {
    }

    /** The text of a change event; empty for anything that is not one. */
    static Optional<String> encode(Object event) {
        String text;
        if (event instanceof DatapointsChanged e) {
            text = "datapoint\t" + e.datapointId();
        } else if (event instanceof ConfigurationImported e) {
            text = "imported\t" + e.datapointIds().stream().sorted().map(String::valueOf)
                    .collect(Collectors.joining(","));
        } else if (event instanceof BrokerChanged e) {
            text = "broker\t" + e.brokerId() + "\t" + e.deleted();
        } else if (event instanceof KnxConnectionChanged e) {
            text = "knx-connection\t" + e.connectionId() + "\t" + e.deleted();
        } else if (event instanceof KnxBindingsChanged e) {
            text = "knx-bindings\t" + e.datapointId();
        } else if (event instanceof BacnetChanged e) {
            text = "bacnet\t" + (e.datapointId() == null ? "" : e.datapointId());
        } else if (event instanceof IntegratedBrokerChanged e) {
            text = "integrated-broker\t" + e.settings() + "\t" + e.users();
        } else if (event instanceof UsersChanged e) {
            text = "user\t" + e.username(); // a name only, never a password or its hash; the last field
        } else {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** The event a text stands for; IllegalArgumentException for one this member does not know. */
    static Object decode(String text) {
        String[] p = text.split("\t", -1);
        try {
            return switch (p[0]) {
                case "datapoint" -> new DatapointsChanged(Long.parseLong(p[1]));
                case "imported" -> new ConfigurationImported(p[1].isEmpty() ? java.util.Set.of()
                        : Arrays.stream(p[1].split(",")).map(Long::valueOf).collect(Collectors.toSet()));
                case "broker" -> new BrokerChanged(Long.parseLong(p[1]), bool(p[2]));
                case "knx-connection" -> new KnxConnectionChanged(Long.parseLong(p[1]), bool(p[2]));
                case "knx-bindings" -> new KnxBindingsChanged(Long.parseLong(p[1]));
                case "bacnet" -> new BacnetChanged(p[1].isEmpty() ? null : Long.valueOf(p[1]));
                case "integrated-broker" -> new IntegratedBrokerChanged(bool(p[1]), bool(p[2]));
                case "user" -> new UsersChanged(text.substring("user\t".length())); // the rest, whatever it holds
                default -> throw new IllegalArgumentException("unknown kind " + p[0]);
            };
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("not a configuration change: " + text, e);
        }
    }

    private static boolean bool(String s) {
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("not a boolean: " + s);
        }
        return Boolean.parseBoolean(s);
    }
}
