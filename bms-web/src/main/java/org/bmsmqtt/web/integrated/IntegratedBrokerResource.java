package org.bmsmqtt.web.integrated;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.bmsmqtt.bms.integrated.BrokerUser;
import org.bmsmqtt.bms.integrated.IntegratedBroker;
import org.bmsmqtt.bms.integrated.IntegratedBrokerConfig;
import org.bmsmqtt.bms.integrated.IntegratedBrokerService;
import org.bmsmqtt.bms.integrated.IntegratedBrokerStatus;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.Versions;
import org.bmsmqtt.web.http.EntityTags;

import java.util.List;

/**
 * The integrated MQTT broker: settings (PUT applies them at once: a running broker restarts on the new listeners),
 * status, start / stop / apply, and its users (changes apply to connected clients at once).
 */
@RequestScoped
@Path("integrated-broker")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IntegratedBrokerResource {

    @Inject
    IntegratedBrokerService service;
    @Inject
    IntegratedBroker broker;

    @GET
    public Response get() {
        IntegratedBrokerConfig c = service.config();
        return Response.ok(IntegratedBrokerDto.of(c)).tag(EntityTags.of(c.getVersion())).build();
    }

    @PUT
    public Response put(IntegratedBrokerDto body, @HeaderParam(Versions.IF_MATCH) String ifMatch) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON object with the integrated broker's settings is required");
        }
        IntegratedBrokerConfig c = service.save(body.settings(), EntityTags.expected(ifMatch));
        return Response.ok(IntegratedBrokerDto.of(c)).tag(EntityTags.of(c.getVersion())).build();
    }

    /** STARTING / RUNNING / STOPPED / FAILED with the reason, listeners, connected clients, PUBLISH packets in and out. */
    @GET
    @Path("status")
    public IntegratedBrokerStatus status() {
        return broker.status();
    }

    @POST
    @Path("start")
    public IntegratedBrokerStatus start() {
        broker.start();
        return broker.status();
    }

    @POST
    @Path("stop")
    public IntegratedBrokerStatus stop() {
        broker.stop();
        return broker.status();
    }

    /** Stops and starts it on the stored settings (it starts even when it was stopped). */
    @POST
    @Path("apply")
    public IntegratedBrokerStatus apply() {
        broker.restart();
        return broker.status();
    }

    @GET
    @Path("users")
    public List<BrokerUserDto> users() {
        return service.users().stream().map(BrokerUserDto::of).toList();
    }

    @POST
    @Path("users")
    public Response createUser(BrokerUserDto body) {
        BrokerUser u = service.createUser(required(body).settings());
        return Response.created(UriBuilder.fromPath("integrated-broker/users/{username}").build(u.getUsername()))
                .entity(BrokerUserDto.of(u)).tag(EntityTags.of(u.getVersion())).build();
    }

    @GET
    @Path("users/{username}")
    public Response user(@PathParam("username") String username) {
        BrokerUser u = service.user(username);
        return Response.ok(BrokerUserDto.of(u)).tag(EntityTags.of(u.getVersion())).build();
    }

    @PUT
    @Path("users/{username}")
    public Response updateUser(@PathParam("username") String username, BrokerUserDto body,
                               @HeaderParam(Versions.IF_MATCH) String ifMatch) {
        BrokerUserDto b = required(body);
        BrokerUserDto withName = b.username() == null
                ? new BrokerUserDto(b.name(), username, b.password(), b.enabled(), b.publish(), b.subscribe(), b.version())
                : b;
        BrokerUser u = service.updateUser(username, withName.settings(), EntityTags.expected(ifMatch));
        return Response.ok(BrokerUserDto.of(u)).tag(EntityTags.of(u.getVersion())).build();
    }

    @DELETE
    @Path("users/{username}")
    public Response deleteUser(@PathParam("username") String username, @HeaderParam(Versions.IF_MATCH) String ifMatch) {
        service.deleteUser(username, EntityTags.expected(ifMatch));
        return Response.noContent().build();
    }

    private static BrokerUserDto required(BrokerUserDto body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON broker user is required");
        }
        return body;
    }
}
