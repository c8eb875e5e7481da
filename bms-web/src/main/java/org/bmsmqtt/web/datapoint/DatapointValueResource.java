package org.bmsmqtt.web.datapoint;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bmsmqtt.bms.datapoint.DatapointService;
import org.bmsmqtt.bms.shared.InvalidValueException;

/** The current value of a datapoint: read it, or write it as a command (which reports it to MQTT). */
@RequestScoped
@Path("datapoints/{name}/value")
@Produces(MediaType.APPLICATION_JSON)
public class DatapointValueResource {

    @Inject
    DatapointService datapoints;

    @GET
    public ValueDto get(@PathParam("name") String name) {
        return ValueDto.of(datapoints.get(name));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public ValueDto put(@PathParam("name") String name, ValueWrite body) {
        if (body == null || body.value() == null) {
            throw new InvalidValueException("value", "a JSON body {\"value\": ...} is required");
        }
        return ValueDto.of(datapoints.write(name, body.value().toString(), "api"));
    }
}
