package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.configuration.IntegratedBrokerSection;
import org.bmsmqtt.web.integrated.BrokerUserDto;
import org.bmsmqtt.web.integrated.IntegratedBrokerDto;

import java.util.List;

/**
 * The document's integrated-broker part: {@code settings} as in {@code PUT /integrated-broker} and {@code users} as in
 * {@code POST /integrated-broker/users}, without versions. Passwords are never exported; on import a user without
 * a password keeps the stored one, and a user new to the server needs one. Left out (or either field null): that part
 * stays as it is.
 */
public record IntegratedBrokerEntries(IntegratedBrokerDto settings, List<BrokerUserDto> users) {

    static IntegratedBrokerEntries of(IntegratedBrokerSection s) {
        return new IntegratedBrokerEntries(s.settings() == null ? null
                : IntegratedBrokerDto.of(s.settings(), s.keystorePasswordSet(), null),
                s.users().stream().map(BrokerUserDto::of).toList());
    }
}
