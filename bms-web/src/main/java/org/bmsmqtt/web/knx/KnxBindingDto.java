package org.bmsmqtt.web.knx;

import org.bmsmqtt.bms.knx.KnxBinding;
import org.bmsmqtt.bms.knx.KnxBindingSettings;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.List;

/** A KNX binding as the API shows and takes it: the datapoint by name, the connection by id. */
public record KnxBindingDto(Long id, String datapoint, Long connectionId, String writeAddress,
                            List<String> listenAddresses, String dpt, Boolean readAtStart,
                            Boolean answerReads) {

    static KnxBindingDto of(KnxBinding b) {
        KnxBindingSettings s = b.settings();
        return new KnxBindingDto(b.getId(), b.getDatapoint().getName(), s.connectionId(), s.writeAddress(),
                s.listenAddresses(), s.dpt(), s.readAtStart(), s.answerReads());
    }

    KnxBindingSettings settings() {
        if (connectionId == null) {
            throw new InvalidValueException("connectionId", "is required");
        }
        return new KnxBindingSettings(connectionId, writeAddress, listenAddresses, dpt, Boolean.TRUE.equals(readAtStart),
                Boolean.TRUE.equals(answerReads));
    }
}
