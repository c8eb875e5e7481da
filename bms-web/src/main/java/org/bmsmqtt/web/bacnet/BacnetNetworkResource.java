package org.bmsmqtt.web.bacnet;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bmsmqtt.bms.bacnet.BacnetNetwork;
import org.bmsmqtt.bms.bacnet.BacnetService;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.NotFoundException;

/** The BACnet/IP network: one, created or replaced by PUT; the live device reopens after the change. */
@RequestScoped
@Path("bacnet/network")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BacnetNetworkResource {

    @Inject
    BacnetService bacnet;
    @Inject
    BacnetNetwork network;

    @GET
    public BacnetNetworkDto get() {
        return bacnet.network().map(BacnetNetworkDto::of)
                .orElseThrow(() -> new NotFoundException("", "no BACnet network configured: PUT one"));
    }

    @PUT
    public BacnetNetworkDto put(BacnetNetworkDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON BACnet network is required");
        }
        return BacnetNetworkDto.of(bacnet.saveNetwork(body.settings()));
    }

    @DELETE
    public Response delete() {
        bacnet.deleteNetwork();
        return Response.noContent().build();
    }

    /** DISABLED / OPENING / OPEN / FAILED, reason, since, local address, devices seen, bindings. */
    @GET
    @Path("status")
    public BacnetNetwork.Status status() {
        return network.status();
    }
}
