package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A STRING datapoint's options: validated with the field named, stored one per line, the only values it takes. */
class DatapointOptionsTest {

    private static DatapointSettings settings(DataType type, List<String> options) {
        return new DatapointSettings("mode", "f1/mode", type, AccessMode.READ_WRITE, true, false, false, "", "", options);
    }

    @Test
    void options_round_trip_through_their_column() {
        List<String> options = List.of("comfort", "eco", "off", "night setback");
        DatapointSettings s = settings(DataType.STRING, options);
        assertEquals(options, DatapointSettings.optionsFromColumn(DatapointSettings.optionsColumn(s.options())));
        assertEquals(List.of(), DatapointSettings.optionsFromColumn(""));
        assertEquals(List.of(), settings(DataType.STRING, null).options());
    }

    @Test
    void bad_options_are_refused_naming_the_field() {
        for (List<String> bad : List.of(List.of("a", "a"), List.of(""), List.of("two\nlines"), List.of("x".repeat(101)))) {
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> settings(DataType.STRING, bad));
            assertEquals("options", e.field(), bad.toString());
        }
        InvalidValueException real = assertThrows(InvalidValueException.class,
                () -> settings(DataType.REAL, List.of("1", "2")));
        assertEquals("options", real.field());
        assertTrue(real.getMessage().contains("STRING"), real.getMessage());
        List<String> many = java.util.stream.IntStream.rangeClosed(0, DatapointSettings.MAX_OPTIONS)
                .mapToObj(Integer::toString).toList();
        assertEquals("options", assertThrows(InvalidValueException.class, () -> settings(DataType.STRING, many)).field());
    }

    @Test
    void only_an_option_is_taken_and_any_value_without_options() {
        List<String> options = List.of("comfort", "eco");
        assertDoesNotThrow(() -> DatapointSettings.requireOption(options, "eco", "value"));
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> DatapointSettings.requireOption(options, "Eco", "value"));
        assertEquals("value", e.field());
        assertTrue(e.getMessage().contains("[comfort, eco]"), e.getMessage());
        assertDoesNotThrow(() -> DatapointSettings.requireOption(List.of(), "anything", "value"));
    }
}
