package org.bmsmqtt.bms.cluster;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A synced value across the data grid: every part back as it was, any character in the value. */
class SyncedValueTest {

    @Test
    void a_value_crosses_unchanged() {
        Instant at = Instant.parse("2026-12-03T05:00:00.123456789Z");
        SyncedValue v = SyncedValue.decode(SyncedValue.encode(42, "a\tb\nc", at, "mqtt:1:f1/set", true));
        assertEquals(42, v.datapointId());
        assertEquals("a\tb\nc", v.value());
        assertEquals(at, v.at());
        assertEquals("mqtt:1:f1/set", v.source());
        assertEquals(true, v.shared());
        assertEquals(Instant.parse("1969-12-31T23:59:59.5Z"),
                SyncedValue.decode(SyncedValue.encode(1, "x", Instant.parse("1969-12-31T23:59:59.5Z"), "", false)).at());
        assertEquals(false, SyncedValue.decode(SyncedValue.encode(1, "x", Instant.EPOCH, "api", false)).shared());
    }

    @Test
    void a_rejection_crosses_with_its_count_and_reason() {
        Instant at = Instant.parse("2026-12-03T05:00:00Z");
        String text = SyncedValue.encodeRejections(7, 12, "not a number: 'x'\tmore", at);
        assertEquals(true, SyncedValue.isRejections(text));
        assertEquals(false, SyncedValue.isRejections(SyncedValue.encode(7, "R\tx", at, "R", false)));
        SyncedValue r = SyncedValue.decode(text);
        assertEquals(7, r.datapointId());
        assertEquals("12", r.source());
        assertEquals("not a number: 'x'\tmore", r.value());
        assertEquals(at, r.at());
    }

    @Test
    void garbage_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> SyncedValue.decode("1\t2"));
        assertThrows(IllegalArgumentException.class, () -> SyncedValue.decode("1\t2\t3\tX\tsrc\tv"));
    }
}
