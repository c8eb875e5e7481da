package org.bmsmqtt.web.broker;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bmsmqtt.bms.broker.Broker;
import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.bms.broker.BrokerService;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.web.http.EntityTags;
import org.bmsmqtt.web.http.Paging;

import java.net.URI;

/**
 * Brokers: CRUD (changes apply at once, without a restart), paged list, status of each broker's session, and the
 * operations stop / start (stored: {@code enabled}) and reconnect. Single brokers carry an {@code ETag}; PUT, DELETE,
 * stop and start honour {@code If-Match}.
 */
@RequestScoped
@Path("brokers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BrokerResource {

    @Inject
    BrokerService brokers;
    @Inject
    BrokerRegistry registry;
    @Context
    UriInfo uri;

    /** By name; {@code offset}, {@code limit} (see {@link Paging}). */
    @GET
    public Response list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Paging p = Paging.of(offset, limit);
        return Paging.ok(brokers.page(p.offset(), p.limit()).map(BrokerDto::of), uri);
    }

    @POST
    public Response create(BrokerDto body) {
        Broker b = brokers.create(require(body).settings());
        return Response.created(URI.create("brokers/" + b.getId())).entity(BrokerDto.of(b))
                .tag(EntityTags.of(b.getVersion())).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") long id) {
        return tagged(brokers.get(id));
    }

    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           BrokerDto body) {
        return tagged(brokers.update(id, require(body).settings(), EntityTags.expected(ifMatch)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        brokers.delete(id, EntityTags.expected(ifMatch));
        return Response.noContent().build();
    }

    /**
     * State (DISCONNECTED / CONNECTING / CONNECTED / FAILED), reason, since, counters; a stopped (disabled) broker
     * has no session: {@code DISABLED}; an enabled one whose session start-up has not opened yet: DISCONNECTED with
     * what start-up is doing.
     */
    @GET
    @Path("{id}/status")
    public Object status(@PathParam("id") long id) {
        Broker b = brokers.get(id);
        return registry.status(id).<Object>map(s -> s).orElseGet(() -> b.isEnabled() && !registry.starting().isEmpty()
                ? BrokerStatus.starting(b, registry.starting()) : BrokerStatus.disabled(b));
    }

    /** Closes the session and stores {@code enabled=false}: stopped until started again, also across restarts. */
    @POST
    @Path("{id}/stop")
    public Response stop(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return operated(brokers.setEnabled(id, false, EntityTags.expected(ifMatch)));
    }

    /** Stores {@code enabled=true} and opens the session (it connects in the background: see the status). */
    @POST
    @Path("{id}/start")
    public Response start(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return operated(brokers.setEnabled(id, true, EntityTags.expected(ifMatch)));
    }

    /** Drops this broker's session and opens a new one; others are not touched. 409 when the broker is stopped. */
    @POST
    @Path("{id}/reconnect")
    public Response reconnect(@PathParam("id") long id) {
        Broker b = brokers.get(id);
        if (!registry.reconnect(id)) {
            throw new org.bmsmqtt.bms.shared.ConflictException("enabled", "broker '" + b.getName() + "' (id " + id
                    + ") is stopped: start it instead");
        }
        return Response.ok(status(id)).build();
    }

    private Response operated(Broker b) {
        return Response.ok(status(b.getId())).tag(EntityTags.of(b.getVersion())).build();
    }

    private static Response tagged(Broker b) {
        return Response.ok(BrokerDto.of(b)).tag(EntityTags.of(b.getVersion())).build();
    }

    private static BrokerDto require(BrokerDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON broker is required");
        }
        return body;
    }
}
