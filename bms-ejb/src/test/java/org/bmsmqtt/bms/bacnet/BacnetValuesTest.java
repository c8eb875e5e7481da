package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.type.enumerated.BinaryPV;
import com.serotonin.bacnet4j.type.primitive.CharacterString;
import com.serotonin.bacnet4j.type.primitive.Null;
import com.serotonin.bacnet4j.type.primitive.Real;
import com.serotonin.bacnet4j.type.primitive.UnsignedInteger;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import static org.bmsmqtt.bms.bacnet.BacnetObjectType.ANALOG_OUTPUT;
import static org.bmsmqtt.bms.bacnet.BacnetObjectType.ANALOG_VALUE;
import static org.bmsmqtt.bms.bacnet.BacnetObjectType.BINARY_VALUE;
import static org.bmsmqtt.bms.bacnet.BacnetObjectType.CHARACTERSTRING_VALUE;
import static org.bmsmqtt.bms.bacnet.BacnetObjectType.MULTI_STATE_VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacnetValuesTest {

    @Test
    void realToDatapoint() {
        assertEquals("21.5", BacnetValues.toDatapoint(new Real(21.5f), DataType.REAL));
        assertEquals("22", BacnetValues.toDatapoint(new Real(21.5f), DataType.INTEGER));
        assertEquals("21.5", BacnetValues.toDatapoint(new Real(21.5f), DataType.STRING));
        assertThrows(InvalidValueException.class, () -> BacnetValues.toDatapoint(new Real(Float.NaN), DataType.REAL));
    }

    @Test
    void binaryToDatapoint() {
        assertEquals("true", BacnetValues.toDatapoint(BinaryPV.active, DataType.BOOLEAN));
        assertEquals("false", BacnetValues.toDatapoint(BinaryPV.inactive, DataType.BOOLEAN));
        assertEquals("1", BacnetValues.toDatapoint(BinaryPV.active, DataType.INTEGER));
        assertEquals("inactive", BacnetValues.toDatapoint(BinaryPV.inactive, DataType.STRING));
    }

    @Test
    void multiStateAndTextToDatapoint() {
        assertEquals("3", BacnetValues.toDatapoint(new UnsignedInteger(3), DataType.INTEGER));
        assertEquals("3.0", BacnetValues.toDatapoint(new UnsignedInteger(3), DataType.REAL));
        assertEquals("hello", BacnetValues.toDatapoint(new CharacterString("hello"), DataType.STRING));
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> BacnetValues.toDatapoint(new CharacterString("x"), DataType.REAL));
        assertEquals("value", e.field());
        assertNull(BacnetValues.toDatapoint(Null.instance, DataType.REAL));
    }

    @Test
    void commandsToBacnet() {
        assertEquals(new Real(21.5f), BacnetValues.toBacnet("21.5", DataType.REAL, ANALOG_VALUE));
        assertEquals(new Real(1f), BacnetValues.toBacnet("true", DataType.BOOLEAN, ANALOG_OUTPUT));
        assertEquals(BinaryPV.active, BacnetValues.toBacnet("true", DataType.BOOLEAN, BINARY_VALUE));
        assertEquals(BinaryPV.inactive, BacnetValues.toBacnet("0", DataType.INTEGER, BINARY_VALUE));
        assertEquals(BinaryPV.active, BacnetValues.toBacnet("active", DataType.STRING, BINARY_VALUE));
        assertEquals(new UnsignedInteger(2), BacnetValues.toBacnet("2", DataType.INTEGER, MULTI_STATE_VALUE));
        assertEquals(new UnsignedInteger(2), BacnetValues.toBacnet("2.0", DataType.REAL, MULTI_STATE_VALUE));
        assertEquals(new CharacterString(""), BacnetValues.toBacnet("", DataType.STRING, CHARACTERSTRING_VALUE));
    }

    @Test
    void nullOrEmptyRelinquishes() {
        assertSame(Null.instance, BacnetValues.toBacnet(null, DataType.REAL, ANALOG_VALUE));
        assertSame(Null.instance, BacnetValues.toBacnet("", DataType.STRING, BINARY_VALUE));
        assertSame(Null.instance, BacnetValues.toBacnet(null, DataType.STRING, CHARACTERSTRING_VALUE));
    }

    @Test
    void badCommandsAreRefusedWithTheReason() {
        assertTrue(assertThrows(InvalidValueException.class,
                () -> BacnetValues.toBacnet("0", DataType.INTEGER, MULTI_STATE_VALUE)).getMessage().contains("state"));
        assertThrows(InvalidValueException.class, () -> BacnetValues.toBacnet("1.5", DataType.REAL, MULTI_STATE_VALUE));
        assertThrows(InvalidValueException.class, () -> BacnetValues.toBacnet("maybe", DataType.STRING, BINARY_VALUE));
        assertThrows(InvalidValueException.class, () -> BacnetValues.toBacnet("1e300", DataType.REAL, ANALOG_VALUE));
        assertThrows(InvalidValueException.class, () -> BacnetValues.toBacnet("abc", DataType.STRING, ANALOG_VALUE));
    }
}
