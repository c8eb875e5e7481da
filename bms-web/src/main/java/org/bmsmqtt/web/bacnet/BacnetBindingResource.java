package org.bmsmqtt.web.bacnet;

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
import org.bmsmqtt.bms.bacnet.BacnetBinding;
import org.bmsmqtt.bms.bacnet.BacnetNetwork;
import org.bmsmqtt.bms.bacnet.BacnetService;
import org.bmsmqtt.bms.bacnet.BindingStatus;
import org.bmsmqtt.bms.shared.ConflictException;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.net.URI;
import java.util.List;

/** BACnet bindings of datapoints: CRUD (applied live), status, relinquish. */
@RequestScoped
@Path("bacnet/bindings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BacnetBindingResource {

    @Inject
    BacnetService bacnet;
    @Inject
    BacnetNetwork network;

    @GET
    public List<BacnetBindingDto> list(@QueryParam("datapoint") String datapoint) {
        return bacnet.bindings().stream().filter(b -> datapoint == null || b.getDatapoint().getName().equals(datapoint))
                .map(BacnetBindingDto::of).toList();
    }

    @POST
    public Response create(BacnetBindingDto body) {
        require(body);
        if (body.datapoint() == null || body.datapoint().isBlank()) {
            throw new InvalidValueException("datapoint", "the name of the datapoint to bind is required");
        }
        BacnetBinding b = bacnet.bind(body.datapoint(), body.settings());
        BacnetBindingDto created = BacnetBindingDto.of(b);
        return Response.created(URI.create("bacnet/bindings/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    public BacnetBindingDto get(@PathParam("id") long id) {
        return BacnetBindingDto.of(bacnet.binding(id));
    }

    @PUT
    @Path("{id}")
    public BacnetBindingDto update(@PathParam("id") long id, BacnetBindingDto body) {
        require(body);
        BacnetBinding b = bacnet.binding(id);
        if (body.datapoint() != null && !body.datapoint().equals(b.getDatapoint().getName())) {
            throw new InvalidValueException("datapoint", "a binding stays with its datapoint: delete it and bind again");
        }
        bacnet.rebind(id, body.settings());
        return BacnetBindingDto.of(bacnet.binding(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        bacnet.unbind(id);
        return Response.noContent().build();
    }

    /** WAITING_FOR_DEVICE / COV / POLLING / UNREACHABLE, with the reason (e.g. why COV is not used). */
    @GET
    @Path("{id}/status")
    public BindingStatus status(@PathParam("id") long id) {
        BacnetBinding b = bacnet.binding(id);
        BindingStatus s = network.bindingStatus(b.getDatapoint().getId());
        if (s == null) {
            throw new ConflictException("", "the BACnet network is not open: " + network.status().state());
        }
        return s;
    }

    /** Relinquishes the binding's priority on the device (a null write), like an empty command. */
    @POST
    @Path("{id}/relinquish")
    public Response relinquish(@PathParam("id") long id) {
        BacnetBinding b = bacnet.binding(id);
        if (!network.relinquish(b.getDatapoint().getId())) {
            throw new ConflictException("", "the BACnet network is not open: " + network.status().state());
        }
        return Response.accepted().build();
    }

    private static void require(BacnetBindingDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON BACnet binding is required");
        }
    }
}
