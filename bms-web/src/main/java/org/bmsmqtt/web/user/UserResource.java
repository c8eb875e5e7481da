package org.bmsmqtt.web.user;

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
import org.bmsmqtt.bms.security.UserService;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/**
 * Users of the admin API (admins only: see the constraints in WEB-INF/web.xml). Deleting or demoting the last admin
 * is a 409.
 */
@RequestScoped
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    @Inject
    UserService users;

    @GET
    public List<UserDto> list() {
        return users.list().stream().map(UserDto::of).toList();
    }

    @POST
    public Response create(UserWrite body) {
        UserWrite b = require(body);
        UserDto created = UserDto.of(users.create(b.username(), b.password(), b.roles()));
        return Response.created(jakarta.ws.rs.core.UriBuilder.fromPath("users/{username}").build(created.username())).entity(created).build();
    }

    @GET
    @Path("{username}")
    public UserDto get(@PathParam("username") String username) {
        return UserDto.of(users.get(username));
    }

    @PUT
    @Path("{username}")
    public UserDto update(@PathParam("username") String username, UserWrite body) {
        UserWrite b = require(body);
        if (b.username() != null && !b.username().equals(username)) {
            throw new InvalidValueException("username", "a user cannot be renamed: create another one");
        }
        if (b.password() == null && b.roles() == null) {
            throw new InvalidValueException("body", "nothing to change: give password and/or roles");
        }
        return UserDto.of(users.update(username, b.password(), b.roles()));
    }

    @DELETE
    @Path("{username}")
    public Response delete(@PathParam("username") String username) {
        users.delete(username);
        return Response.noContent().build();
    }

    private static UserWrite require(UserWrite body) {
        if (body == null) {
            throw new InvalidValueException("body", "a JSON user is required");
        }
        return body;
    }
}
