package org.bmsmqtt.web.knx;

import org.bmsmqtt.bms.knx.KnxConnection;
import org.bmsmqtt.bms.knx.KnxConnectionSettings;
import org.bmsmqtt.bms.knx.KnxConnectionType;

/** A KNX connection as the API shows and takes it; left-out fields take their defaults. */
public record KnxConnectionDto(Long id, String name, KnxConnectionType type, String host, Integer port,
                               String localAddress, Boolean nat, Integer reconnectIntervalSeconds, Long antiEchoMillis,
                               Boolean enabled, Long version) {

    static KnxConnectionDto of(KnxConnection c) {
        KnxConnectionSettings s = c.settings();
        return new KnxConnectionDto(c.getId(), s.name(), s.type(), s.host(), s.port(), s.localAddress(), s.nat(),
                s.reconnectIntervalSeconds(), s.antiEchoMillis(), s.enabled(), c.getVersion());
    }

    KnxConnectionSettings settings() {
        return new KnxConnectionSettings(name, type, host, port == null ? KnxConnectionSettings.DEFAULT_PORT : port,
                localAddress, nat == null || nat,
                reconnectIntervalSeconds == null ? KnxConnectionSettings.DEFAULT_RECONNECT_SECONDS : reconnectIntervalSeconds,
                antiEchoMillis == null ? KnxConnectionSettings.DEFAULT_ANTI_ECHO_MILLIS : antiEchoMillis,
                enabled == null || enabled);
    }
}
