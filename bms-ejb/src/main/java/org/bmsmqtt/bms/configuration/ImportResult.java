package org.bmsmqtt.bms.configuration;

/** What an import did. Unchanged brokers are neither re-opened nor counted as updated. */
public record ImportResult(int brokersCreated, int brokersUpdated, int brokersUnchanged, int brokersDeleted,
                           int datapointsCreated, int datapointsUpdated, int datapointsDeleted, int bindings,
                           int knxConnectionsApplied, int knxBindings,
                           boolean bacnetNetworkApplied, int bacnetBindings,
                           boolean integratedBrokerApplied, int brokerUsersCreated, int brokerUsersUpdated,
                           int brokerUsersDeleted) {
}
