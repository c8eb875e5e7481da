package org.bmsmqtt.bms.integrated;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicPermissionsTest {

    @Test
    void publishMatchesTopicsLikeMqtt() {
        TopicPermissions p = new TopicPermissions(List.of("sensors/#", "rooms/+/temp"), List.of());
        assertTrue(p.canPublish("sensors"));
        assertTrue(p.canPublish("sensors/a/b"));
        assertTrue(p.canPublish("rooms/12/temp"));
        assertFalse(p.canPublish("rooms/12/temp/x"));
        assertFalse(p.canPublish("rooms/temp"));
        assertFalse(p.canPublish("other"));
        assertFalse(p.canSubscribe("sensors/a"), "publish patterns give no subscribe right");
    }

    @Test
    void aSubscriptionMustStayInsideAPattern() {
        TopicPermissions p = new TopicPermissions(List.of(), List.of("a/#", "b/+/c"));
        assertTrue(p.canSubscribe("a/#"));
        assertTrue(p.canSubscribe("a/b/+"));
        assertTrue(p.canSubscribe("a/x"));
        assertTrue(p.canSubscribe("b/+/c"));
        assertTrue(p.canSubscribe("b/x/c"));
        assertFalse(p.canSubscribe("b/#"), "b/# reaches topics b/+/c does not");
        assertFalse(p.canSubscribe("b/+/+"));
        assertFalse(p.canSubscribe("#"));
        assertFalse(p.canSubscribe("+/x"));
    }

    @Test
    void dollarTopicsOnlyByAnExplicitPattern() {
        assertFalse(TopicPermissions.ALL.canSubscribe("$SYS/broker/load"));
        assertFalse(TopicPermissions.ALL.canPublish("$share/x"));
        assertTrue(new TopicPermissions(List.of("$SYS/#"), List.of()).canPublish("$SYS/a"));
        assertTrue(TopicPermissions.ALL.canSubscribe("#"));
    }

    @Test
    void invalidPatternsNameTheirPlace() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> new TopicPermissions(List.of("ok/#"), List.of("a/#/b")));
        assertEquals("subscribe[0]", e.field());
        assertThrows(InvalidValueException.class, () -> new TopicPermissions(List.of("a/b+"), List.of()));
        assertThrows(InvalidValueException.class, () -> new TopicPermissions(List.of(""), List.of()));
    }
}
