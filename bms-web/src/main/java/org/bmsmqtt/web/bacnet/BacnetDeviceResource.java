package org.bmsmqtt.web.bacnet;

import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bmsmqtt.bms.bacnet.BacnetLink;
import org.bmsmqtt.bms.bacnet.BacnetNetwork;
import org.bmsmqtt.bms.bacnet.BacnetObjectType;

import java.util.List;

/** Devices found by Who-Is / I-Am, and their objects (read from the device on request). */
@RequestScoped
@Path("bacnet/devices")
@Produces(MediaType.APPLICATION_JSON)
public class BacnetDeviceResource {

    /** An object of a device, its object-name (null when the device does not give it); {@code bindable} when a
     * datapoint can be bound to it. */
    public record ObjectDto(String type, int instance, String name, boolean bindable) {
    }

    @Inject
    BacnetNetwork network;

    @GET
    public List<BacnetLink.DeviceView> list() {
        return network.devices();
    }

    /** Sends a Who-Is; answers arrive over the next moments: list again. */
    @POST
    @Path("discover")
    public Response discover() {
        network.discover();
        return Response.accepted().build();
    }

    @GET
    @Path("{instance}/objects")
    public List<ObjectDto> objects(@PathParam("instance") int instance) {
        return network.objects(instance).stream().map(BacnetDeviceResource::object).toList();
    }

    private static ObjectDto object(BacnetLink.ObjectView o) {
        ObjectIdentifier oid = o.id();
        BacnetObjectType t = BacnetObjectType.of(oid.getObjectType());
        String name = t != null ? t.text() : oid.getObjectType().toString().replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(java.util.Locale.ROOT);
        return new ObjectDto(name, oid.getInstanceNumber(), o.name(), t != null);
    }
}
