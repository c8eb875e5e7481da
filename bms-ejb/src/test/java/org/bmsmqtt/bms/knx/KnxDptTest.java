package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every DPT of issue 6 with example values of the KNX specification (03_07_02 Datapoint Types): the value on our
 * side, the ASDU bytes on the bus, and back again.
 */
class KnxDptTest {

    @ParameterizedTest(name = "{0} {1} {2} <-> {3}")
    @CsvSource({
            // DPT, data type, canonical value, ASDU (hex)
            "1.001, BOOLEAN, true, 01",
            "1.001, BOOLEAN, false, 00",
            "1.009, BOOLEAN, true, 01",
            "3.007, INTEGER, 5, 0d",        // increase, step code 5
            "3.007, INTEGER, -3, 03",       // decrease, step code 3
            "3.008, INTEGER, 1, 09",        // down, step code 1
            "3.007, INTEGER, 0, 08",        // break (Calimero sends it with the increase bit)
            "5.001, INTEGER, 100, ff",
            "5.001, INTEGER, 0, 00",
            "5.001, INTEGER, 50, 80",
            "5.001, REAL, 100.0, ff",
            "5.001, REAL, 50.2, 80",        // 128/255 of 100 %: two decimals, re-encodes to the same byte
            "5.010, INTEGER, 255, ff",
            "5.010, INTEGER, 42, 2a",
            "6.010, INTEGER, -128, 80",
            "6.010, INTEGER, -1, ff",
            "6.001, INTEGER, 127, 7f",
            "7.001, INTEGER, 65535, ffff",
            "7.001, INTEGER, 4660, 1234",
            "8.001, INTEGER, -32768, 8000",
            "8.001, INTEGER, -2, fffe",
            "8.010, REAL, -1.5, ff6a",      // 0.01 % resolution
            "9.001, REAL, 21.5, 0c33",      // the specification's own example
            "9.001, REAL, 0.0, 0000",
            "9.001, REAL, -30.0, 8a24",
            "9.004, REAL, 670433.28, 7ffe", // the largest value of the specification
            "9.007, REAL, 45.6, 1474",
            "12.001, INTEGER, 4294967295, ffffffff",
            "12.001, INTEGER, 305419896, 12345678",
            "13.001, INTEGER, -2147483648, 80000000",
            "13.010, INTEGER, -1, ffffffff",
            "14.056, REAL, 21.5, 41ac0000",
            "14.056, REAL, 0.1, 3dcccccd",  // the float on the bus reads back as 0.1, not 0.10000000149...
            "14.019, REAL, -1.0, bf800000",
            "16.000, STRING, KNX is OK, 4b4e58206973204f4b0000000000",
            "16.001, STRING, Grüße, 4772fcdf65000000000000000000",
            "17.001, INTEGER, 63, 3f",
            "17.001, INTEGER, 0, 00",
            "18.001, INTEGER, 133, 85",     // learn scene 5
            "18.001, INTEGER, 5, 05",       // activate scene 5
            "18.001, STRING, learn 5, 85",
            "18.001, STRING, activate 0, 00",
            "20.102, INTEGER, 3, 03",       // economy
            "20.102, INTEGER, 0, 00",       // auto
            "20.102, STRING, comfort, 01",
            "232.600, STRING, #ff8001, ff8001",
            "232.600, INTEGER, 16744449, ff8001",
    })
    void roundTripWithKnownBytes(String dpt, DataType type, String value, String hex) {
        KnxDpt d = KnxDpt.of(dpt, "dpt");
        d.requireCompatible(type, "dpt");
        byte[] asdu = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertEquals(HexFormat.of().formatHex(asdu), HexFormat.of().formatHex(d.encode(type, value)));
        assertEquals(value, d.decode(type, asdu));
    }

    @Test
    void aBusValueBetweenOurStepsRoundsToTheDataType() {
        KnxDpt pct = KnxDpt.of("5.001", "dpt");
        assertEquals("50", pct.decode(DataType.INTEGER, new byte[]{(byte) 0x80}));
        assertEquals("0", KnxDpt.of("3.007", "dpt").decode(DataType.INTEGER, new byte[]{0})); // decrease, break
        KnxDpt temp = KnxDpt.of("9.001", "dpt");
        assertEquals("21.48", temp.decode(DataType.REAL, HexFormat.of().parseHex("0c32")));
    }

    @ParameterizedTest
    @CsvSource({"9.1, 9.001", "1.1, 1.001", " 14.56 , 14.056", "232.600, 232.600", "16.0, 16.000"})
    void shortFormsAreRead(String text, String id) {
        assertEquals(id, KnxDpt.of(text, "dpt").id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "10.001; not supported",    // time of day: not in the list
            "20.105; not supported",    // only 20.102 of the 8-bit enums
            "232.601; not supported",
            "9.999; not supported",     // no such subtype
            "9; a DPT is main.sub",
            "DPT9; a DPT is main.sub",
            "''; a DPT is main.sub",
    })
    void unsupportedDptIsAClearError(String text, String reason) {
        var e = assertThrows(InvalidValueException.class, () -> KnxDpt.of(text, "dpt"));
        assertEquals("dpt", e.field());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1.001, INTEGER", "9.001, INTEGER", "9.001, BOOLEAN", "16.000, REAL", "5.001, STRING",
            "14.056, STRING", "3.007, BOOLEAN", "232.600, REAL"})
    void typeMismatchIsRefusedAtConfigurationTime(String dpt, DataType type) {
        var e = assertThrows(InvalidValueException.class, () -> KnxDpt.of(dpt, "dpt").requireCompatible(type, "dpt"));
        assertTrue(e.getMessage().contains("does not fit a datapoint of type " + type), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"5.001, INTEGER, 101", "5.010, INTEGER, 256", "6.010, INTEGER, 128", "7.001, INTEGER, -1",
            "8.001, INTEGER, 32768", "9.001, REAL, 700000.0", "12.001, INTEGER, -1", "3.007, INTEGER, 8",
            "17.001, INTEGER, 64", "18.001, INTEGER, 64", "232.600, INTEGER, 16777216",
            "232.600, STRING, red", "16.000, STRING, fifteen chars!!", "20.102, STRING, sauna"})
    void outOfRangeValuesAreRefusedWithTheDpt(String dpt, DataType type, String value) {
        var e = assertThrows(InvalidValueException.class, () -> KnxDpt.of(dpt, "dpt").encode(type, value));
        assertEquals("value", e.field());
        assertTrue(e.getMessage().contains("does not fit DPT " + KnxDpt.of(dpt, "dpt").id()), e.getMessage());
    }

    @Test
    void aTelegramOfTheWrongLengthIsAnError() {
        var e = assertThrows(InvalidValueException.class,
                () -> KnxDpt.of("9.001", "dpt").decode(DataType.REAL, new byte[]{1}));
        assertTrue(e.getMessage().contains("is not a DPT 9.001 value"), e.getMessage());
    }
}
