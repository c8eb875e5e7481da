package org.bmsmqtt.web.cluster;

import org.bmsmqtt.bms.cluster.ClusterRole;
import org.bmsmqtt.bms.cluster.ConfigSync;
import org.bmsmqtt.bms.cluster.Members;
import org.bmsmqtt.bms.cluster.ValueSync;

import java.time.Instant;
import java.util.List;

/**
 * GET /cluster: this member's view of the cluster ({@link ClusterRole.Status}), the members that are there now with
 * the role each says it has, the backup sync's figures and the configuration changes shared with the others.
 */
public record ClusterDto(boolean enabled, String member, String role, Instant since, String lastChange, String main,
                         long token, Instant mainSince, Instant lastFailover, String lastFailoverReason,
                         long leaseMillis, String error, List<Members.Member> members, ValueSync.Stats sync,
                         ConfigSync.Stats configuration) {

    static ClusterDto of(ClusterRole.Status s, List<Members.Member> members, ValueSync.Stats sync,
                         ConfigSync.Stats configuration) {
        return new ClusterDto(s.enabled(), s.member(), s.role(), s.since(), s.lastChange(), s.main(), s.token(),
                s.mainSince(), s.lastFailover(), s.lastFailoverReason(), s.leaseMillis(), s.error(), members, sync,
                configuration);
    }
}
