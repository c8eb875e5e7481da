package org.bmsmqtt.bms.cluster;

/**
 * The cluster role over JMX ({@code org.bmsmqtt.bms:type=Cluster} on the platform MBean server), for operators whose
 * monitoring reads JMX rather than /metrics or the API: the same figures as {@code GET /cluster}. Times are ISO-8601
 * text, empty when there is none.
 */
public interface ClusterMXBean {

    boolean isEnabled();

    String getMember();

    /** MAIN or BACKUP. */
    String getRole();

    String getSince();

    /** The member that holds the lease now (empty when none does). */
    String getMain();

    /** The fencing token of the main's lease; grows with every takeover. */
    long getToken();

    long getTakeovers();

    String getLastFailover();

    String getLastFailoverReason();
}
