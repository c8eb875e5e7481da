package org.bmsmqtt.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Registered for every test class (JUnit extension auto-detection, see junit-platform.properties and
 * META-INF/services): after a class, fails it when any response body it received contains a registered
 * {@link Secrets secret}.
 */
public class NoSecretInResponses implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = Secrets.leaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("secrets in API responses of " + context.getDisplayName() + ": "
                    + String.join("; ", leaks));
        }
    }
}
