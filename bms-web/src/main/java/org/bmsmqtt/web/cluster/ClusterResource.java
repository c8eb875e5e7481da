package org.bmsmqtt.web.cluster;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bmsmqtt.bms.cluster.ClusterRole;

/**
 * This member's role in the cluster (MAIN or BACKUP), who is main now and since when, the last takeover with its
 * reason, the members there are now and their roles, the configuration changes shared, and the backup sync's figures (values sent and received, delay p50 / p99 / max). With clustering off ({@code bms.cluster.enabled} false) the server is its own main.
 */
@RequestScoped
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    ClusterRole role;
    @Inject
    org.bmsmqtt.bms.cluster.ValueSync sync;
    @Inject
    org.bmsmqtt.bms.cluster.ConfigSync configuration;
    @Inject
    org.bmsmqtt.bms.cluster.Members members;

    @GET
    public ClusterDto status() {
        return ClusterDto.of(role.status(), members.list(), sync.stats(), configuration.stats());
    }
}
