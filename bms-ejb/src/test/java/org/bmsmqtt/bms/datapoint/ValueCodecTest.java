package org.bmsmqtt.bms.datapoint;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCodecTest {

    @Test
    void reals_use_a_dot_and_come_out_canonical() {
        assertEquals("21.5", ValueCodec.canonical(DataType.REAL, "21.5", "value"));
        assertEquals("21.0", ValueCodec.canonical(DataType.REAL, " 21 ", "value"));
        assertEquals("-0.5", ValueCodec.canonical(DataType.REAL, "-.5", "value"));
        assertEquals("1200.0", ValueCodec.canonical(DataType.REAL, "1.2e3", "value"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"21,5", "abc", "", "NaN", "Infinity", "1.2.3", "0x10", "1e999"})
    void what_is_not_a_real_is_refused_naming_the_field(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> ValueCodec.canonical(DataType.REAL, text, "value"));
        assertEquals("value", e.field());
    }

    @Test
    void integers_are_whole_and_in_range() {
        assertEquals("42", ValueCodec.canonical(DataType.INTEGER, "+42", "value"));
        assertEquals("-7", ValueCodec.canonical(DataType.INTEGER, "-7", "value"));
        assertThrows(InvalidValueException.class, () -> ValueCodec.canonical(DataType.INTEGER, "4.2", "value"));
        assertTrue(assertThrows(InvalidValueException.class,
                () -> ValueCodec.canonical(DataType.INTEGER, "9223372036854775808", "value"))
                .getMessage().contains("out of range"));
    }

    @Test
    void booleans_accept_true_false_1_0_on_off() {
        for (String t : new String[] {"true", "TRUE", "1", "on", "On"}) {
            assertEquals("true", ValueCodec.canonical(DataType.BOOLEAN, t, "value"));
        }
        for (String f : new String[] {"false", "0", "off", "OFF"}) {
            assertEquals("false", ValueCodec.canonical(DataType.BOOLEAN, f, "value"));
        }
        assertThrows(InvalidValueException.class, () -> ValueCodec.canonical(DataType.BOOLEAN, "yes", "value"));
    }

    @Test
    void strings_are_kept_as_they_are_up_to_the_limit() {
        assertEquals(" hall 1 ", ValueCodec.canonical(DataType.STRING, " hall 1 ", "value"));
        String max = "x".repeat(ValueCodec.MAX_STRING_LENGTH);
        assertEquals(max, ValueCodec.canonical(DataType.STRING, max, "value"));
        assertThrows(InvalidValueException.class, () -> ValueCodec.canonical(DataType.STRING, max + "x", "value"));
    }

    @Test
    void a_missing_value_is_refused() {
        assertThrows(InvalidValueException.class, () -> ValueCodec.canonical(DataType.STRING, null, "value"));
    }

    /** The hand-written checks accept exactly what the regular expressions they replaced accept. */
    @Test
    void number_checks_match_the_former_regular_expressions() {
        java.util.regex.Pattern real = java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
        java.util.regex.Pattern integer = java.util.regex.Pattern.compile("[+-]?\\d{1,19}");
        String[] parts = {"", "+", "-", "0", "7", "12", ".", "e", "E", "x", " ", "\u0663", "1234567890"};
        java.util.List<String> samples = new java.util.ArrayList<>();
        for (String a : parts) {
            for (String b : parts) {
                for (String c : parts) {
                    for (String d : parts) {
                        samples.add(a + b + c + d);
                    }
                }
            }
        }
        samples.addAll(java.util.List.of("1234567890123456789", "12345678901234567890", "-1234567890123456789",
                "1.", ".5", "1.e5", "1e", "1e+", "+.5e-3", "..5", "1.2.3"));
        for (String t : samples) {
            assertEquals(real.matcher(t).matches(), ValueCodec.isReal(t), "real: '" + t + "'");
            assertEquals(integer.matcher(t).matches(), ValueCodec.isInteger(t), "integer: '" + t + "'");
        }
    }
}
