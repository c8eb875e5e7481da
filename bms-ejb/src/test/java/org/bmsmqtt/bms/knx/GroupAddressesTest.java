package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "1/2/3, 2563, 1/2/3",
            "31/7/255, 65535, 31/7/255",
            "' 01/002/3 ', 2563, 1/2/3",
            "1/515, 2563, 1/515",
            "31/2047, 65535, 31/2047",
            "2563, 2563, 2563",
            "65535, 65535, 65535",
            "0/0/1, 1, 0/0/1",
    })
    void threeNotationsOneValue(String text, int raw, String canonical) {
        assertEquals(raw, GroupAddresses.parse(text, "ga"));
        assertEquals(canonical, GroupAddresses.canonical(text, "ga"));
    }

    @Test
    void threeLevelFormOfAnyAddress() {
        assertEquals("1/2/3", GroupAddresses.threeLevel(2563));
        assertEquals("31/7/255", GroupAddresses.threeLevel(65535));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "32/0/0; main group 32 out of range 0..31",
            "1/8/0; middle group 8 out of range 0..7",
            "1/2/256; sub group 256 out of range 0..255",
            "1/2048; sub group 2048 out of range 0..2047",
            "65536; out of range: a free address is 1..65535",
            "0/0/0; broadcast",
            "0; broadcast",
            "1.2.3; not a group address",
            "1/2/3/4; not a group address",
            "a/b/c; not a group address",
            "-1; not a group address",
    })
    void refusedWithTheReason(String text, String reason) {
        var e = assertThrows(InvalidValueException.class, () -> GroupAddresses.parse(text, "writeAddress"));
        assertEquals("writeAddress", e.field());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void blankIsRefused() {
        assertThrows(InvalidValueException.class, () -> GroupAddresses.parse(" ", "ga"));
        assertThrows(InvalidValueException.class, () -> GroupAddresses.parse(null, "ga"));
    }
}
