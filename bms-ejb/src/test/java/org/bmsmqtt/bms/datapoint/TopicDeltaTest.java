package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.datapoint.EngineConfig.BindingConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changes of many datapoints merged into one delta (a configuration import) subscribe what one by one would. */
class TopicDeltaTest {

    static DpConfig dp(long id) {
        return new DpConfig(id, "dp" + id, DataType.REAL, AccessMode.READ_WRITE, false, false);
    }

    static BindingConfig cmd(long id, long dp, String topic) {
        return new BindingConfig(id, dp, 1, topic, "", 1, false, PayloadFormat.PLAIN, "");
    }

    @Test
    void a_topic_moving_from_one_datapoint_to_another_is_no_change() {
        EngineConfig c = new EngineConfig();
        c.put(dp(1), List.of(cmd(10, 1, "t")));
        TopicDelta merged = c.put(dp(1), List.of()).then(c.put(dp(2), List.of(cmd(20, 2, "t"))));
        assertTrue(merged.isEmpty(), merged.toString());
    }

    @Test
    void added_then_removed_is_no_change_and_removed_then_added_elsewhere_stays_subscribed() {
        EngineConfig c = new EngineConfig();
        TopicDelta merged = c.put(dp(1), List.of(cmd(10, 1, "a"))).then(c.remove(1));
        assertTrue(merged.isEmpty(), merged.toString());
        c.put(dp(3), List.of(cmd(30, 3, "b")));
        TopicDelta d = c.put(dp(4), List.of(cmd(40, 4, "c"))).then(c.remove(3));
        assertEquals(Map.of(1L, Set.of("c")), d.added());
        assertEquals(Map.of(1L, Set.of("b")), d.removed());
    }
}
