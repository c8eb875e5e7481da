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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bmsmqtt.bms.knx.KnxBinding;
import org.bmsmqtt.bms.knx.KnxBindingService;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.net.URI;
import java.util.List;

/**
 * KNX bindings of datapoints: CRUD, listed all or by datapoint ({@code ?datapoint=<name>}). A root of its own, not
 * under /datapoints: JAX-RS picks one root class per path, and /datapoints belongs to the datapoint resource.
 */
@RequestScoped
@Path("knx/bindings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KnxBindingResource {

    @Inject
    KnxBindingService bindings;

    @GET
    public List<KnxBindingDto> list(@QueryParam("datapoint") String datapoint) {
        return bindings.list(datapoint).stream().map(KnxBindingDto::of).toList();
    }

    @POST
    public Response create(KnxBindingDto body) {
        KnxBindingDto created = KnxBindingDto.of(bindings.create(require(body).datapoint(), body.settings()));
        return Response.created(URI.create("knx/bindings/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    public KnxBindingDto get(@PathParam("id") long id) {
        return KnxBindingDto.of(bindings.get(id));
    }

    /** Connection, addresses, DPT and read flag; the datapoint of a binding does not change (delete and create). */
    @PUT
    @Path("{id}")
    public KnxBindingDto update(@PathParam("id") long id, KnxBindingDto body) {
        KnxBinding b = bindings.get(id);
        if (require(body).datapoint() != null && !body.datapoint().equals(b.getDatapoint().getName())) {
            throw new InvalidValueException("datapoint", "a binding stays with its datapoint ("
                    + b.getDatapoint().getName() + "): delete it and create one for " + body.datapoint());
        }
        return KnxBindingDto.of(bindings.update(id, body.settings()));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        bindings.delete(id);
        return Response.noContent().build();
    }

    private static KnxBindingDto require(KnxBindingDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON KNX binding is required");
        }
        return body;
    }
}
