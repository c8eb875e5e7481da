package org.bmsmqtt.web.datapoint;

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
import org.bmsmqtt.bms.broker.BrokerService;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.datapoint.Datapoint;
import org.bmsmqtt.bms.datapoint.DatapointEngine;
import org.bmsmqtt.bms.datapoint.DatapointFilter;
import org.bmsmqtt.bms.datapoint.DatapointService;
import org.bmsmqtt.bms.datapoint.MqttBinding;
import org.bmsmqtt.bms.history.HistoryService;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.web.http.EntityTags;
import org.bmsmqtt.web.http.Paging;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Datapoints (filtered by path prefix: the item tree), their MQTT bindings, their value (read, or written as a
 * command that is reported to MQTT) and their history. One root resource: JAX-RS picks one class per path.
 * Single datapoints and bindings carry an {@code ETag} (their version); PUT and DELETE honour {@code If-Match}.
 */
@RequestScoped
@Path("datapoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatapointResource {

    @Inject
    DatapointService datapoints;
    @Inject
    DatapointEngine engine;
    @Inject
    HistoryService history;
    @Inject
    BrokerService brokers;
    @Context
    UriInfo uri;

    /**
     * By path, filtered by {@code pathPrefix} (or its older name {@code path}), {@code broker} (id or name: bound to
     * it), {@code dataType}; paged by {@code offset} and {@code limit} (see {@link Paging}).
     */
    @GET
    public Response list(@QueryParam("pathPrefix") String pathPrefix, @QueryParam("path") String path,
                         @QueryParam("broker") String broker, @QueryParam("dataType") String dataType,
                         @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Paging p = Paging.of(offset, limit);
        DatapointFilter filter = new DatapointFilter(pathPrefix != null ? pathPrefix : path,
                broker == null || broker.isBlank() ? null : brokers.find(broker.trim(), "broker").getId(),
                dataType(dataType));
        return Paging.ok(datapoints.page(filter, p.offset(), p.limit()).map(DatapointDto::of), uri);
    }

    @POST
    public Response create(DatapointDto body) {
        Datapoint d = datapoints.create(require(body).settings());
        return Response.created(jakarta.ws.rs.core.UriBuilder.fromPath("datapoints/{name}").build(d.getName())).entity(DatapointDto.of(d))
                .tag(EntityTags.of(d.getVersion())).build();
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        Datapoint d = datapoints.get(name);
        return Response.ok(DatapointDto.of(d)).tag(EntityTags.of(d.getVersion())).build();
    }

    @PUT
    @Path("{name}")
    public Response update(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           DatapointDto body) {
        Datapoint d = datapoints.update(name, require(body).settings(), EntityTags.expected(ifMatch));
        return Response.ok(DatapointDto.of(d)).tag(EntityTags.of(d.getVersion())).build();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        datapoints.delete(name, EntityTags.expected(ifMatch));
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/bindings")
    public List<BindingDto> bindings(@PathParam("name") String name) {
        return datapoints.bindings(name).stream().map(BindingDto::of).toList();
    }

    @POST
    @Path("{name}/bindings")
    public Response bind(@PathParam("name") String name, BindingDto body) {
        BindingDto created = BindingDto.of(datapoints.bind(name, require(body).settings()));
        return Response.created(jakarta.ws.rs.core.UriBuilder.fromPath("datapoints/{name}/bindings/{id}").build(name, created.id())).entity(created).build();
    }

    @GET
    @Path("{name}/bindings/{id}")
    public Response binding(@PathParam("name") String name, @PathParam("id") long id) {
        return tagged(datapoints.binding(name, id));
    }

    @PUT
    @Path("{name}/bindings/{id}")
    public Response rebind(@PathParam("name") String name, @PathParam("id") long id,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, BindingDto body) {
        return tagged(datapoints.rebind(name, id, require(body).settings(), EntityTags.expected(ifMatch)));
    }

    @DELETE
    @Path("{name}/bindings/{id}")
    public Response unbind(@PathParam("name") String name, @PathParam("id") long id,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        datapoints.unbind(name, id, EntityTags.expected(ifMatch));
        return Response.noContent().build();
    }

    private static Response tagged(MqttBinding b) {
        return Response.ok(BindingDto.of(b)).tag(EntityTags.of(b.getVersion())).build();
    }

    private static DataType dataType(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return DataType.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("dataType", "one of " + java.util.Arrays.toString(DataType.values()));
        }
    }

    // --- values and history ---

    @GET
    @Path("{name}/value")
    public ValueDto value(@PathParam("name") String name) {
        // From the engine's memory only: a value accepted while the database is away is still answered with 200.
        return ValueDto.of(name, engine.typeOf(name), engine.current(name));
    }

    @PUT
    @Path("{name}/value")
    @Consumes(MediaType.APPLICATION_JSON)
    public ValueDto put(@PathParam("name") String name, ValueWrite body) {
        if (body == null || body.value() == null) {
            throw new InvalidValueException("value", "a JSON body {\"value\": ...} is required");
        }
        engine.write(name, body.value().toString(), "api");
        return value(name);
    }

    @GET
    @Path("{name}/history")
    public List<HistoryService.Entry> history(@PathParam("name") String name, @QueryParam("from") String from,
                                              @QueryParam("to") String to, @QueryParam("limit") Integer limit) {
        long id = datapoints.get(name).getId();
        return history.range(id, instant(from, "from", Instant.EPOCH), instant(to, "to", Instant.now().plusSeconds(1)),
                limit == null ? 1000 : limit);
    }

    @GET
    @Path("{name}/history/aggregates")
    public List<HistoryService.Bucket> aggregates(@PathParam("name") String name, @QueryParam("from") String from,
                                                  @QueryParam("to") String to, @QueryParam("interval") String interval) {
        long id = datapoints.get(name).getId();
        Duration step;
        try {
            step = Duration.parse(interval == null ? "PT1H" : interval);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("interval", "an ISO-8601 duration such as PT15M: " + interval);
        }
        return history.aggregate(id, instant(from, "from", Instant.now().minus(Duration.ofDays(1))),
                instant(to, "to", Instant.now().plusSeconds(1)), step);
    }

    private static Instant instant(String text, String field, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(field, "an ISO-8601 instant such as 2026-01-31T12:00:00Z: " + text);
        }
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON body is required");
        }
        return body;
    }
}
