package org.bmsmqtt.bms.configuration;

import org.bmsmqtt.bms.integrated.BrokerUserSettings;
import org.bmsmqtt.bms.integrated.IntegratedBrokerSettings;

import java.util.List;

/**
 * The integrated broker's part of the configuration document: its settings (null on import: left as they are) and
 * its users. Passwords never leave the server: exported users and the keystore password read as null, and on import a
 * null password keeps the stored one (a new user needs one). {@code users == null} on import: users left as they are.
 * {@code given=false}: the document has no such part, and an import leaves the integrated broker as it is.
 *
 * @param keystorePasswordSet export only: whether a keystore password is stored
 */
public record IntegratedBrokerSection(boolean given, IntegratedBrokerSettings settings, boolean keystorePasswordSet,
                                      List<BrokerUserSettings> users) {

    public static final IntegratedBrokerSection ABSENT = new IntegratedBrokerSection(false, null, false, null);

    public IntegratedBrokerSection {
        users = users == null ? null : List.copyOf(users);
    }
}
