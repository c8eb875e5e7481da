package org.bmsmqtt.web.broker;

import org.bmsmqtt.bms.broker.Broker;

/**
 * The status of a stopped broker ({@code enabled=false}), which has no session: state {@code DISABLED}. An enabled
 * broker answers with its session's status (state DISCONNECTED, CONNECTING, CONNECTED or FAILED).
 */
public record BrokerStatus(String broker, String name, String state, String reason) {

    /** Enabled, but the server is still starting (loading the datapoints before it opens the sessions). */
    static BrokerStatus starting(Broker b, String what) {
        return new BrokerStatus(String.valueOf(b.getId()), b.getName(), "DISCONNECTED",
                "server starting (" + what + "): the session opens when the datapoints are loaded");
    }

    static BrokerStatus disabled(Broker b) {
        return new BrokerStatus(String.valueOf(b.getId()), b.getName(), "DISABLED",
                "stopped: enabled is false (POST /brokers/" + b.getId() + "/start starts it)");
    }
}
