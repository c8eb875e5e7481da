package org.bmsmqtt.bms.cluster;

/**
 * This member became main ({@code main} true: open the broker sessions, KNX connections and the BACnet network) or
 * backup (close them). Fired synchronously from the cluster's own thread; observers must not throw.
 */
public record RoleChanged(boolean main, String reason) {
}
