package org.bmsmqtt.web.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import org.bmsmqtt.bms.security.Role;

/**
 * HTTP Basic for the admin API, realm {@code bms}: a 401 carries {@code WWW-Authenticate: Basic realm="bms"}.
 * Which paths and methods need which role is in WEB-INF/web.xml (the resources carry no security annotations);
 * the credentials are checked by {@link UserIdentityStore}. Basic sends the password with every request: use HTTPS
 * anywhere but loopback (see the README).
 */
@BasicAuthenticationMechanismDefinition(realmName = "bms")
@DeclareRoles({Role.ADMIN, Role.VIEWER})
@ApplicationScoped
public class BasicAuthentication {
}
