package org.bmsmqtt.bms.certificate;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.regex.Pattern;

/** File names in the certificate folder: a plain name, never a path. */
public final class CertificateName {

    public static final int MAX_LENGTH = 100;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private CertificateName() {
    }

    /** The name, or a 400 naming {@code field}: letters, digits, {@code . _ -}, no leading dot, no {@code ..}. */
    public static String require(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new InvalidValueException(field, "a file name is required");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidValueException(field, "at most " + MAX_LENGTH + " characters");
        }
        if (name.contains("..") || !ALLOWED.matcher(name).matches()) {
            throw new InvalidValueException(field, "a plain file name (letters, digits, '.', '_', '-'; not starting "
                    + "with '.', no '..', no path): " + name);
        }
        return name;
    }
}
