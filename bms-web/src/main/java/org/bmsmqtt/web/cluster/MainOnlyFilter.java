package org.bmsmqtt.web.cluster;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.bmsmqtt.bms.cluster.ClusterRole;
import org.bmsmqtt.web.errors.Problem;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What only the main can do: commands (a value written to a datapoint, a BACnet relinquish), a who-is on the BACnet
 * network and a broker reconnect act on the sessions and buses the main alone holds. On a backup they are a 409
 * naming {@code cluster} and the main to ask instead. Reads and configuration changes are answered by every member
 * (a change is stored in the shared database and applied on all members: {@code ConfigSync}). A server without
 * clustering is always main: nothing changes.
 */
@Provider
public class MainOnlyFilter implements ContainerRequestFilter {

    /** Paths below the API root, for any method but GET / HEAD / OPTIONS. */
    static final Pattern MAIN_ONLY = Pattern.compile("/?(datapoints/[^/]+/value|brokers/[^/]+/reconnect"
            + "|bacnet/devices/discover|bacnet/bindings/[^/]+/relinquish)/?");

    /**
     * Looked up, not injected: Jersey builds providers itself, and its injection would make a second ClusterRole (a
     * second member contending for the lease) instead of handing over the application's singleton.
     */
    private volatile ClusterRole cluster;

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                || !MAIN_ONLY.matcher(request.getUriInfo().getPath()).matches()) {
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
        String why = "this cluster member is a backup: it holds no broker session and no field bus, so commands go to "
                + "the main, " + cluster.status().main() + " (GET /cluster); configuration changes are taken here too";
        request.abortWith(new Problem("urn:bms:problem:conflict", "Conflicts with the current state", 409, why,
                List.of(new Problem.FieldError("cluster", why))).toResponse());
    }
}
