package org.bmsmqtt.web.configuration;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.Arrays;

/** Enum names read from the document, so that a wrong one names its field instead of failing the whole body. */
final class Names {

    private Names() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
        if (text == null) {
            return null; // the settings choose the default, or say it is required
        }
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(field, "one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
