package org.bmsmqtt.web.broker;

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
import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.bms.broker.BrokerService;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.ra.api.SessionStatus;

import java.net.URI;
import java.util.List;

/** Brokers: CRUD; changes apply at once, without a restart. Status of each broker's session. */
@RequestScoped
@Path("brokers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BrokerResource {

    @Inject
    BrokerService brokers;
    @Inject
    BrokerRegistry registry;

    @GET
    public List<BrokerDto> list() {
        return brokers.list().stream().map(BrokerDto::of).toList();
    }

    @POST
    public Response create(BrokerDto body) {
        BrokerDto created = BrokerDto.of(brokers.create(require(body).settings()));
        return Response.created(URI.create("brokers/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    public BrokerDto get(@PathParam("id") long id) {
        return BrokerDto.of(brokers.get(id));
    }

    @PUT
    @Path("{id}")
    public BrokerDto update(@PathParam("id") long id, BrokerDto body) {
        return BrokerDto.of(brokers.update(id, require(body).settings()));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        brokers.delete(id);
        return Response.noContent().build();
    }

    /** State (DISCONNECTED / CONNECTING / CONNECTED / FAILED), reason, since, counters. */
    @GET
    @Path("{id}/status")
    public SessionStatus status(@PathParam("id") long id) {
        brokers.get(id);
        return registry.status(id).orElseThrow(() ->
                new InvalidValueException("enabled", "broker " + id + " is disabled: it has no session"));
    }

    private static BrokerDto require(BrokerDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON broker is required");
        }
        return body;
    }
}
