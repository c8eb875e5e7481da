package org.bmsmqtt.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import org.bmsmqtt.bms.security.UserDirectory;

/**
 * Checks a user name and password against the stored users ({@link UserDirectory}, in memory) and hands their
 * roles to the container as groups; each group maps to the role of the same name.
 */
@ApplicationScoped
public class UserIdentityStore implements IdentityStore {

    @Inject
    UserDirectory directory;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        return directory.authenticate(credential.getCaller(), credential.getPassword().getValue())
                .map(roles -> new CredentialValidationResult(credential.getCaller(), roles))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }
}
