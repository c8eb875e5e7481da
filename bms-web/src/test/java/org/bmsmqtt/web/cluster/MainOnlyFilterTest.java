package org.bmsmqtt.web.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainOnlyFilterTest {

    @Test
    void commands_and_session_actions_are_for_the_main() {
        for (String p : List.of("datapoints/hall.light/value", "/datapoints/a/value", "brokers/3/reconnect",
                "bacnet/devices/discover", "bacnet/bindings/12/relinquish/")) {
            assertTrue(MainOnlyFilter.MAIN_ONLY.matcher(p).matches(), p);
        }
    }

    @Test
    void configuration_changes_are_taken_by_every_member() {
        for (String p : List.of("datapoints", "datapoints/hall.light", "datapoints/a/bindings", "datapoints/a/bindings/4",
                "brokers", "brokers/3", "brokers/3/stop", "brokers/3/start", "knx/connections/1/stop", "users/anna",
                "knx/bindings", "bacnet/bindings/12", "bacnet/network", "configuration", "integrated-broker/users",
                "certificates", "datapoints/value/bindings")) {
            assertFalse(MainOnlyFilter.MAIN_ONLY.matcher(p).matches(), p);
        }
    }
}
