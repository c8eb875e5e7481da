package org.bmsmqtt.bms.integrated;

/** The integrated broker started or stopped: internal connections follow it (broker.BrokerRegistry). */
public record IntegratedBrokerRestarted(boolean running) {
}
