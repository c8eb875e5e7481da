package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.configuration.KnxSection;
import org.bmsmqtt.bms.knx.KnxBindingSettings;
import org.bmsmqtt.bms.knx.KnxConnectionSettings;
import org.bmsmqtt.bms.knx.KnxConnectionType;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/**
 * The document's KNX part: connections (without ids, matched by name) and KNX bindings naming their datapoint and
 * connection. Left out of a document: an import leaves KNX as it is.
 */
public record KnxEntries(List<Connection> connections, List<Binding> bindings) {

    /** A KNX connection; left-out fields take the defaults of {@code POST /knx/connections}. */
    public record Connection(String name, String type, String host, Integer port, String localAddress, Boolean nat,
                             Integer reconnectIntervalSeconds, Long antiEchoMillis, Boolean enabled) {

        static Connection of(KnxConnectionSettings s) {
            return new Connection(s.name(), s.type().name(), s.host(), s.port(), s.localAddress(), s.nat(),
                    s.reconnectIntervalSeconds(), s.antiEchoMillis(), s.enabled());
        }

        KnxConnectionSettings settings() {
            return new KnxConnectionSettings(name, Names.parse(KnxConnectionType.class, type, "type"),
                    host, port == null ? KnxConnectionSettings.DEFAULT_PORT : port, localAddress, nat == null || nat,
                    reconnectIntervalSeconds == null ? KnxConnectionSettings.DEFAULT_RECONNECT_SECONDS
                            : reconnectIntervalSeconds,
                    antiEchoMillis == null ? KnxConnectionSettings.DEFAULT_ANTI_ECHO_MILLIS : antiEchoMillis,
                    enabled == null || enabled);
        }
    }

    /** A KNX binding: its datapoint and connection by name. */
    public record Binding(String datapoint, String connection, String writeAddress, List<String> listenAddresses,
                          String dpt, Boolean readAtStart, Boolean answerReads) {

        static Binding of(KnxSection.Binding b) {
            KnxBindingSettings s = b.settings();
            return new Binding(b.datapoint(), b.connection(), s.writeAddress(), s.listenAddresses(), s.dpt(),
                    s.readAtStart(), s.answerReads());
        }

        KnxSection.Binding entry() {
            if (datapoint == null || datapoint.isBlank()) {
                throw new InvalidValueException("datapoint", "the name of a datapoint is required");
            }
            if (connection == null || connection.isBlank()) {
                throw new InvalidValueException("connection", "the name of a KNX connection is required");
            }
            return new KnxSection.Binding(datapoint, connection, new KnxBindingSettings(0, writeAddress,
                    listenAddresses, dpt, Boolean.TRUE.equals(readAtStart), Boolean.TRUE.equals(answerReads)));
        }
    }

    static KnxEntries of(KnxSection s) {
        return new KnxEntries(s.connections().stream().map(Connection::of).toList(),
                s.bindings().stream().map(Binding::of).toList());
    }
}
