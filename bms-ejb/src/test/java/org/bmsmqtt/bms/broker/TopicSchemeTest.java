package org.bmsmqtt.bms.broker;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopicSchemeTest {

    private final TopicScheme scheme = new TopicScheme("site/bms", 1);

    @Test
    void command_and_report_topics_differ_so_they_cannot_loop() {
        assertEquals("site/bms/+/set", scheme.commandFilter());
        assertEquals("site/bms/room1/state", scheme.reportTopic("room1"));
    }

    @Test
    void the_datapoint_is_read_from_a_command_topic_only() {
        assertEquals(Optional.of("room1"), scheme.datapointOfCommand("site/bms/room1/set"));
        assertEquals(Optional.empty(), scheme.datapointOfCommand("site/bms/room1/state"));
        assertEquals(Optional.empty(), scheme.datapointOfCommand("site/bms//set"));
        assertEquals(Optional.empty(), scheme.datapointOfCommand("other/room1/set"));
        assertEquals(Optional.empty(), scheme.datapointOfCommand("site/bms/a/b/set"));
    }

    @Test
    void a_prefix_with_wildcards_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new TopicScheme("bms/#", 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicScheme("bms/", 1));
        assertThrows(IllegalArgumentException.class, () -> new TopicScheme("bms", 3));
    }
}
