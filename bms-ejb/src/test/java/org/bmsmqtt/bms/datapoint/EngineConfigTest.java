package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.datapoint.EngineConfig.BindingConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineConfigTest {

    private final EngineConfig config = new EngineConfig();

    private static DpConfig dp(long id, String name) {
        return new DpConfig(id, name, DataType.REAL, AccessMode.READ_WRITE, false, false);
    }

    private static BindingConfig command(long id, long dp, long broker, String topic) {
        return new BindingConfig(id, dp, broker, topic, "", 1, false, PayloadFormat.PLAIN, "");
    }

    private static BindingConfig report(long id, long dp, long broker, String topic) {
        return new BindingConfig(id, dp, broker, "", topic, 1, false, PayloadFormat.PLAIN, "");
    }

    @Test
    void a_new_command_topic_is_subscribed_once_and_unsubscribed_when_its_last_binding_goes() {
        assertEquals(new TopicDelta(Map.of(1L, Set.of("a/set")), Map.of()),
                config.put(dp(10, "a"), List.of(command(100, 10, 1, "a/set"), report(101, 10, 2, "a/state"))));
        // a second datapoint on the same topic: nothing new to subscribe
        assertTrue(config.put(dp(11, "b"), List.of(command(110, 11, 1, "a/set"))).isEmpty());
        assertEquals(2, config.commandBindings(1, "a/set").size());
        assertTrue(config.remove(10).isEmpty(), "b still takes commands on a/set");
        assertEquals(new TopicDelta(Map.of(), Map.of(1L, Set.of("a/set"))), config.remove(11));
        assertNull(config.commandBindings(1, "a/set"));
        assertEquals(0, config.size());
    }

    @Test
    void changing_a_datapoint_moves_its_topics_and_name() {
        config.put(dp(10, "a"), List.of(command(100, 10, 1, "old/set")));
        TopicDelta d = config.put(dp(10, "renamed"), List.of(command(100, 10, 1, "new/set")));
        assertEquals(new TopicDelta(Map.of(1L, Set.of("new/set")), Map.of(1L, Set.of("old/set"))), d);
        assertNull(config.idOf("a"));
        assertEquals(10L, config.idOf("renamed"));
        // the same topics again: no change for the broker
        assertTrue(config.put(dp(10, "renamed"), List.of(command(100, 10, 1, "new/set"))).isEmpty());
        assertEquals(Set.of("new/set"), config.commandTopics(1));
    }

    @Test
    void a_deleted_broker_takes_its_bindings_and_only_those() {
        config.putBroker(1, 10_000, true);
        config.putBroker(2, 0, false);
        config.put(dp(10, "a"), List.of(command(100, 10, 1, "a/set"), report(101, 10, 2, "a/state"),
                command(102, 10, 2, "a/cmd")));
        assertEquals(10_000_000_000L, config.antiEchoNanos(1));
        assertTrue(config.echoPolicy(1).confirm());
        assertFalse(config.echoPolicy(2).confirm());
        assertTrue(config.commandsFrom(10, 2));
        config.removeBroker(2);
        assertEquals(List.of(command(100, 10, 1, "a/set")), config.bindingsOf(10));
        assertEquals(Set.of(), config.commandTopics(2));
        assertEquals(0, config.antiEchoNanos(2));
        assertFalse(config.commandsFrom(10, 2));
        assertTrue(config.echoPolicy(2).confirm(), "an unknown broker confirms commands (the default)");
    }

    @Test
    void ten_thousand_datapoints_each_change_touches_only_its_own_topics() {
        for (long i = 0; i < 10_000; i++) {
            assertEquals(Set.of("dp/" + i + "/set"),
                    config.put(dp(i, "dp" + i), List.of(command(i, i, 1, "dp/" + i + "/set"))).added().get(1L));
        }
        assertEquals(10_000, config.commandTopics(1).size());
        assertEquals(new TopicDelta(Map.of(), Map.of(1L, Set.of("dp/5/set"))), config.remove(5));
        assertEquals(9_999, config.size());
    }
}
