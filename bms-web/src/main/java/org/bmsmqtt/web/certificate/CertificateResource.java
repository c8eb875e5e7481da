package org.bmsmqtt.web.certificate;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bmsmqtt.bms.certificate.CertificateInfo;
import org.bmsmqtt.bms.certificate.CertificateStore;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * TLS files of the brokers ({@code <data folder>/certs}): upload (PEM, DER, PKCS#12), list with subject, issuer and
 * validity, delete while no broker names them. The content never comes back out. A PKCS#12 password is used only
 * to read the file's certificates: never stored, never logged.
 */
@RequestScoped
@Path("certificates")
@Produces(MediaType.APPLICATION_JSON)
public class CertificateResource {

    /** The header that carries a PKCS#12 password with a raw upload (multipart: the form field {@code password}). */
    public static final String PASSWORD_HEADER = "X-Certificate-Password";

    @Inject
    CertificateStore store;

    @GET
    public List<CertificateInfo> list() {
        return store.list();
    }

    @GET
    @Path("{name}")
    public CertificateInfo get(@PathParam("name") String name) {
        return store.get(name);
    }

    /** The file as the request body: {@code POST /certificates?name=ca.pem}, any content type but multipart. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response uploadRaw(@QueryParam("name") String name, @HeaderParam(PASSWORD_HEADER) String password,
                              InputStream body) throws IOException {
        return created(store.add(name, read(body), chars(password)));
    }

    /** A form: part {@code file} (its file name is the default name), optional parts {@code name} and {@code password}. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadForm(List<EntityPart> parts, @QueryParam("name") String queryName) throws IOException {
        EntityPart file = null;
        String name = queryName;
        String password = null;
        for (EntityPart p : parts) {
            switch (p.getName()) {
                case "file" -> file = p;
                case "name" -> name = name == null || name.isBlank() ? text(p) : name;
                case "password" -> password = text(p);
                default -> { }
            }
        }
        if (file == null) {
            throw new InvalidValueException("file", "a form part named 'file' is required");
        }
        if (name == null || name.isBlank()) {
            name = file.getFileName().orElse(null);
        }
        try (InputStream in = file.getContent()) {
            return created(store.add(name, read(in), chars(password)));
        }
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        store.delete(name);
        return Response.noContent().build();
    }

    private static Response created(CertificateInfo info) {
        return Response.created(jakarta.ws.rs.core.UriBuilder.fromPath("certificates/{name}").build(info.name())).entity(info).build();
    }

    private static byte[] read(InputStream in) throws IOException {
        if (in == null) {
            throw new InvalidValueException("file", "the file is empty");
        }
        byte[] content = in.readNBytes(CertificateStore.MAX_SIZE + 1);
        if (content.length > CertificateStore.MAX_SIZE) {
            throw new InvalidValueException("file", "at most " + CertificateStore.MAX_SIZE + " bytes");
        }
        return content;
    }

    private static String text(EntityPart p) throws IOException {
        try (InputStream in = p.getContent()) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
        }
    }

    private static char[] chars(String password) {
        return password == null || password.isEmpty() ? null : password.toCharArray();
    }
}
