package org.bmsmqtt.bms.integrated;

/** Fired by {@link IntegratedBrokerService}; {@link IntegratedBroker} applies it after commit. */
public record IntegratedBrokerChanged(boolean settings, boolean users) {
}
