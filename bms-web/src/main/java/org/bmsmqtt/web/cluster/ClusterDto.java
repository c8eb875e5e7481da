package org.bmsmqtt.web.cluster;

import org.bmsmqtt.bms.cluster.ClusterRole;
import org.bmsmqtt.bms.cluster.ValueSync;

import java.time.Instant;

/** GET /cluster: this member's view of the cluster ({@link ClusterRole.Status}) and its backup sync figures. */
public record ClusterDto(boolean enabled, String member, String role, Instant since, String lastChange, String main,
                         long token, Instant mainSince, Instant lastFailover, String lastFailoverReason,
                         long leaseMillis, String error, ValueSync.Stats sync) {

    static ClusterDto of(ClusterRole.Status s, ValueSync.Stats sync) {
        return new ClusterDto(s.enabled(), s.member(), s.role(), s.since(), s.lastChange(), s.main(), s.token(),
                s.mainSince(), s.lastFailover(), s.lastFailoverReason(), s.leaseMillis(), s.error(), sync);
    }
}
