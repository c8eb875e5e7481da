package org.bmsmqtt.bms.discovery;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.bmsmqtt.bms.datapoint.BindingSettings;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.PayloadFormat;

import java.util.Optional;

/**
 * Home Assistant MQTT discovery config messages for datapoints, as pure logic (no broker, no database).
 * <ul>
 * <li>Topic {@code <prefix>/<component>/bms_<server>/dp<id>/config}: the node level keeps one server's configs apart
 *     from another's on the same broker; the object id is the datapoint id, which stays when a datapoint is renamed
 *     or moved in the item tree.</li>
 * <li>Component by what the binding allows: values only (READ, or no command topic) - {@code binary_sensor} for
 *     BOOLEAN, {@code sensor} otherwise; commands - {@code switch} (BOOLEAN), {@code number} (REAL, INTEGER),
 *     {@code text} (STRING), {@code select} (STRING with options).</li>
 * <li>Device grouping by the item tree: a datapoint {@code floor1/room1/temp} belongs to device {@code floor1/room1}
 *     and is named {@code temp}; datapoints at the top of the tree belong to the server's own device.</li>
 * <li>Payloads as the binding has them: PLAIN as is, JSON through a {@code value_template} / {@code command_template}
 *     at the binding's JSON Pointer, STATE through {@code value_json.value}.</li>
 * </ul>
 * Field names are Home Assistant's documented ones (the test keeps a sample of that documentation).
 */
public final class HaDiscovery {

    static final String MANUFACTURER = "BMS MQTT Connector";
    /** A datapoint has no range: a wide one, so Home Assistant does not clamp set-points (its default is 1..100). */
    static final double NUMBER_MIN = -1_000_000;
    static final double NUMBER_MAX = 1_000_000;

    private HaDiscovery() {
    }

    /** The Home Assistant component for this binding of this datapoint; empty when it shows nothing (no topic). */
    public static Optional<String> component(DiscoveredPoint p) {
        if (p.commandable()) {
            return Optional.of(switch (p.type()) {
                case BOOLEAN -> "switch";
                case REAL, INTEGER -> "number";
                case STRING -> p.options().isEmpty() ? "text" : "select";
            });
        }
        if (p.reporting()) {
            return Optional.of(p.type() == DataType.BOOLEAN ? "binary_sensor" : "sensor");
        }
        return Optional.empty();
    }

    /** The config message for the datapoint; empty when its binding gives Home Assistant nothing to show. */
    public static Optional<DiscoveryMessage> config(DiscoveryTarget target, DiscoveredPoint p) {
        Optional<String> component = component(p);
        if (component.isEmpty()) {
            return Optional.empty();
        }
        String c = component.get();
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("name", entityName(p))
                .add("unique_id", uniqueId(target, p))
                .add("qos", p.qos());
        if (p.reporting()) {
            o.add("state_topic", p.reportTopic());
            valueTemplate(p).ifPresent(t -> o.add("value_template", t));
        }
        if (p.commandable()) {
            o.add("command_topic", p.commandTopic());
            commandTemplate(p).ifPresent(t -> o.add("command_template", t));
        }
        if (!p.unit().isEmpty() && (c.equals("sensor") || c.equals("number"))) {
            o.add("unit_of_measurement", p.unit());
        }
        switch (c) {
            case "sensor" -> {
                if (p.type() != DataType.STRING) {
                    o.add("state_class", "measurement"); // numbers: Home Assistant keeps statistics
                }
            }
            case "binary_sensor" -> o.add("payload_on", "true").add("payload_off", "false");
            case "switch" -> o.add("payload_on", "true").add("payload_off", "false")
                    .add("state_on", "true").add("state_off", "false");
            case "number" -> o.add("min", NUMBER_MIN).add("max", NUMBER_MAX)
                    .add("step", p.type() == DataType.INTEGER ? 1 : 0.01).add("mode", "box");
            case "select" -> o.add("options", Json.createArrayBuilder(p.options()));
            default -> { }
        }
        if (!target.availabilityTopic().isEmpty() && p.fieldBound() && p.reporting()) {
            // the server's session and the datapoint's field-bus source must both be up (Home Assistant's "all")
            o.add("availability", Json.createArrayBuilder()
                            .add(availability(target, target.availabilityTopic()))
                            .add(availability(target, BindingSettings.availabilityTopic(p.reportTopic()))))
                    .add("availability_mode", "all");
        } else if (!target.availabilityTopic().isEmpty()) {
            o.add("availability_topic", target.availabilityTopic())
                    .add("payload_available", target.payloadAvailable())
                    .add("payload_not_available", target.payloadNotAvailable());
        }
        o.add("device", device(target, p));
        return Optional.of(new DiscoveryMessage(topic(target, c, p.datapointId()), o.build().toString()));
    }

    private static JsonObjectBuilder availability(DiscoveryTarget target, String topic) {
        return Json.createObjectBuilder().add("topic", topic).add("payload_available", target.payloadAvailable())
                .add("payload_not_available", target.payloadNotAvailable());
    }

    public static String topic(DiscoveryTarget target, String component, long datapointId) {
        return target.prefix() + "/" + component + "/" + node(target) + "/dp" + datapointId + "/config";
    }

    /** Stable across renames, moves and restarts: the server and the datapoint's id. */
    public static String uniqueId(DiscoveryTarget target, DiscoveredPoint p) {
        return node(target) + "_dp" + p.datapointId();
    }

    /** {@code bms_<server id>} in Home Assistant's topic characters {@code [a-zA-Z0-9_-]}. */
    static String node(DiscoveryTarget target) {
        return "bms_" + target.serverId().replaceAll("[^a-zA-Z0-9_-]", "_");
    }

    private static String entityName(DiscoveredPoint p) {
        String path = trimSlashes(p.path());
        int slash = path.lastIndexOf('/');
        String last = slash < 0 ? path : path.substring(slash + 1);
        return last.isEmpty() ? p.name() : last;
    }

    private static JsonObjectBuilder device(DiscoveryTarget target, DiscoveredPoint p) {
        String path = trimSlashes(p.path());
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        String name = parent.isEmpty() ? "BMS " + target.serverId() : parent;
        // identifiers need no topic characters: the item tree path itself keeps "a/b" and "a_b" apart
        String id = "bms:" + target.serverId() + (parent.isEmpty() ? "" : ":" + parent);
        return Json.createObjectBuilder()
                .add("identifiers", Json.createArrayBuilder().add(id))
                .add("name", name)
                .add("manufacturer", MANUFACTURER)
                .add("model", "BMS datapoints");
    }

    /** How Home Assistant finds the value in a state payload; empty for PLAIN. */
    static Optional<String> valueTemplate(DiscoveredPoint p) {
        String expr = switch (p.format()) {
            case PLAIN -> null;
            case STATE -> "value_json.value";
            case JSON -> p.pointer().isEmpty() ? "value_json" : "value_json" + jinjaPath(p.pointer());
        };
        if (expr == null) {
            return Optional.empty();
        }
        if (p.type() == DataType.BOOLEAN) {
            // a JSON true renders as "True" in Jinja: compare against our plain payloads instead
            return Optional.of("{{ 'true' if " + expr + " else 'false' }}");
        }
        return Optional.of("{{ " + expr + " }}");
    }

    /** How Home Assistant wraps a command; empty for PLAIN and STATE (both take a bare value). */
    static Optional<String> commandTemplate(DiscoveredPoint p) {
        if (p.format() != PayloadFormat.JSON) {
            return Optional.empty();
        }
        String inner = "{{ value | tojson }}";
        if (p.pointer().isEmpty()) {
            return Optional.of(inner);
        }
        String[] keys = p.pointer().substring(1).split("/", -1);
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append("{").append(Json.createValue(unescape(k)).toString()).append(": ");
        }
        sb.append(inner);
        sb.append("}".repeat(keys.length));
        return Optional.of(sb.toString());
    }

    /** A JSON Pointer as Jinja subscripts: {@code /a/b} to {@code ['a']['b']}. */
    private static String jinjaPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String k : pointer.substring(1).split("/", -1)) {
            sb.append("['").append(unescape(k).replace("\\", "\\\\").replace("'", "\\'")).append("']");
        }
        return sb.toString();
    }

    private static String unescape(String pointerKey) {
        return pointerKey.replace("~1", "/").replace("~0", "~");
    }

    private static String trimSlashes(String path) {
        String p = path == null ? "" : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
