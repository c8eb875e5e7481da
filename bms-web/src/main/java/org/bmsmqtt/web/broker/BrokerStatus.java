package org.bmsmqtt.web.broker;

import org.bmsmqtt.bms.broker.Broker;

/**
 * The status of a stopped broker ({@code enabled=false}), which has no session: state {@code DISABLED}. An enabled
 * broker answers with its session's status (state DISCONNECTED, CONNECTING, CONNECTED or FAILED).
 */
public record BrokerStatus(String broker, String name, String state, String reason) {

    static BrokerStatus disabled(Broker b) {
        return new BrokerStatus(String.valueOf(b.getId()), b.getName(), "DISABLED",
                "stopped: enabled is false (POST /brokers/" + b.getId() + "/start starts it)");
    }
}
