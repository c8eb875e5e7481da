package org.bmsmqtt.web.cluster;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.bmsmqtt.bms.cluster.ClusterRole;
import org.bmsmqtt.web.errors.Problem;

import java.util.List;
import java.util.Set;

/**
 * A backup member answers reads only: a command would go nowhere (it holds no broker session and no field bus) and a
 * configuration change would not reach the main's memory. Every other request is a 409 naming {@code cluster} and
 * the main to ask instead. A server without clustering is always main: nothing changes.
 */
@Provider
public class BackupReadOnlyFilter implements ContainerRequestFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    /**
     * Looked up, not injected: Jersey builds providers itself, and its injection would make a second ClusterRole (a
     * second member contending for the lease) instead of handing over the application's singleton.
     */
    private volatile ClusterRole cluster;

    @Override
    public void filter(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())) {
            return;
        }
        ClusterRole cluster = this.cluster;
        if (cluster == null) {
            cluster = jakarta.enterprise.inject.spi.CDI.current().select(ClusterRole.class).get();
            this.cluster = cluster;
        }
        if (cluster.isMain()) {
            return;
        }
        String why = "this cluster member is a backup and answers reads only; send changes and commands to the main, "
                + cluster.status().main() + " (GET /cluster)";
        request.abortWith(new Problem("urn:bms:problem:conflict", "Conflicts with the current state", 409, why,
                List.of(new Problem.FieldError("cluster", why))).toResponse());
    }
}
