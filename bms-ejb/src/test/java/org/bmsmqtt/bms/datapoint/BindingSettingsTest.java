package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BindingSettingsTest {

    private static String fieldOf(Runnable r) {
        return assertThrows(InvalidValueException.class, r::run).field();
    }

    @Test
    void a_binding_needs_a_topic_and_the_two_topics_must_differ() {
        assertEquals("commandTopic", fieldOf(() -> new BindingSettings(1, "", "", 1, false, null, "")));
        assertEquals("reportTopic", fieldOf(() -> new BindingSettings(1, "a/b", "a/b", 1, false, null, "")));
    }

    @Test
    void wildcards_qos_and_pointers_are_checked() {
        assertEquals("reportTopic", fieldOf(() -> new BindingSettings(1, "", "a/#", 1, false, null, "")));
        assertEquals("commandTopic", fieldOf(() -> new BindingSettings(1, "a/+", "", 1, false, null, "")));
        assertEquals("qos", fieldOf(() -> new BindingSettings(1, "a", "", 3, false, null, "")));
        assertEquals("jsonPointer", fieldOf(() -> new BindingSettings(1, "a", "", 1, false, PayloadFormat.JSON, "v")));
        BindingSettings ok = new BindingSettings(1, " a/cmd ", "a/state", 2, true, PayloadFormat.JSON, "/v");
        assertEquals("a/cmd", ok.commandTopic());
    }
}
