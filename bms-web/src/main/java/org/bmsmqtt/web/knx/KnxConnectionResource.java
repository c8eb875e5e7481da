package org.bmsmqtt.web.knx;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bmsmqtt.bms.knx.KnxConnection;
import org.bmsmqtt.bms.knx.KnxConnectionService;
import org.bmsmqtt.bms.knx.KnxGateway;
import org.bmsmqtt.bms.knx.KnxStatus;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.net.URI;
import java.util.List;

/** KNX connections: CRUD (applied at once: only the changed connection reconnects) and status. */
@RequestScoped
@Path("knx/connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KnxConnectionResource {

    @Inject
    KnxConnectionService connections;
    @Inject
    KnxGateway gateway;

    @GET
    public List<KnxConnectionDto> list() {
        return connections.list().stream().map(KnxConnectionDto::of).toList();
    }

    @POST
    public Response create(KnxConnectionDto body) {
        KnxConnectionDto created = KnxConnectionDto.of(connections.create(require(body).settings()));
        return Response.created(URI.create("knx/connections/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    public KnxConnectionDto get(@PathParam("id") long id) {
        return KnxConnectionDto.of(connections.get(id));
    }

    @PUT
    @Path("{id}")
    public KnxConnectionDto update(@PathParam("id") long id, KnxConnectionDto body) {
        return KnxConnectionDto.of(connections.update(id, require(body).settings()));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        connections.delete(id);
        return Response.noContent().build();
    }

    /**
     * State (DISCONNECTED / CONNECTING / CONNECTED / FAILED), reason, since, last error, counters; a stopped
     * (disabled) connection has no link: DISABLED.
     */
    @GET
    @Path("{id}/status")
    public KnxStatus status(@PathParam("id") long id) {
        KnxConnection c = connections.get(id);
        return gateway.status(id).orElseGet(() -> KnxStatus.disabled(c.getName()));
    }

    /** Closes the link and stores {@code enabled=false}: stopped until started again, also across restarts. */
    @POST
    @Path("{id}/stop")
    public KnxStatus stop(@PathParam("id") long id) {
        connections.setEnabled(id, false);
        return status(id);
    }

    /** Stores {@code enabled=true} and opens the link (it connects in the background: see the status). */
    @POST
    @Path("{id}/start")
    public KnxStatus start(@PathParam("id") long id) {
        connections.setEnabled(id, true);
        return status(id);
    }

    private static KnxConnectionDto require(KnxConnectionDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON KNX connection is required");
        }
        return body;
    }
}
