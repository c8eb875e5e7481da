package org.bmsmqtt.bms.bacnet;

import com.serotonin.bacnet4j.type.enumerated.PropertyIdentifier;
import com.serotonin.bacnet4j.type.primitive.ObjectIdentifier;
import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.shared.InvalidValueException;

/**
 * A BACnet binding as an integrator sets it: which property of which object on which device, written at which
 * priority, followed by COV (with an increment for analog objects) or by polling. Validated on construction; the
 * exception names the field.
 *
 * @param deviceInstance  remote device instance, 0..4194302
 * @param objectType      parsed by {@link BacnetObjectType#parse}
 * @param objectInstance  0..4194302
 * @param property        a BACnet property name, {@code present-value} when null or empty
 * @param writePriority   1..16 for commandable objects (outputs, values), 16 when null; ignored for inputs
 * @param cov             subscribe to change-of-value (falls back to polling when the device refuses)
 * @param covConfirmed    confirmed notifications (the device retries) instead of unconfirmed
 * @param covIncrement    analog only: the smallest change notified, >= 0; the device's own when null
 * @param pollSeconds     polling interval when COV is off or refused, 1..86400, 60 when null
 */
public record BacnetBindingSettings(int deviceInstance, BacnetObjectType objectType, int objectInstance,
                                    PropertyIdentifier property, Integer writePriority, boolean cov,
                                    boolean covConfirmed, Double covIncrement, int pollSeconds) {

    /** The largest instance number: 2^22 - 1 (4194303) means "not initialized" in the standard. */
    public static final int MAX_INSTANCE = ObjectIdentifier.UNINITIALIZED - 1;
    public static final int DEFAULT_PRIORITY = 16;
    public static final int DEFAULT_POLL_SECONDS = 60;

    public BacnetBindingSettings {
        checkInstance(deviceInstance, "deviceInstance");
        if (objectType == null) {
            throw new InvalidValueException("objectType", "an object type is required");
        }
        checkInstance(objectInstance, "objectInstance");
        property = property == null ? PropertyIdentifier.presentValue : property;
        if (!objectType.commandable()) {
            writePriority = null; // inputs take no priority
        } else {
            writePriority = writePriority == null ? DEFAULT_PRIORITY : writePriority;
            if (writePriority < 1 || writePriority > 16) {
                throw new InvalidValueException("writePriority", "must be 1..16, was " + writePriority);
            }
        }
        if (covIncrement != null) {
            if (objectType.kind() != BacnetObjectType.Kind.ANALOG) {
                throw new InvalidValueException("covIncrement", "only analog objects have a COV increment, not "
                        + objectType.text());
            }
            if (covIncrement.isNaN() || covIncrement.isInfinite() || covIncrement < 0) {
                throw new InvalidValueException("covIncrement", "must be a number >= 0, was " + covIncrement);
            }
        }
        if (pollSeconds < 1 || pollSeconds > 86400) {
            throw new InvalidValueException("pollSeconds", "must be 1..86400, was " + pollSeconds);
        }
    }

    /** Builds from API input: text names, optional numbers (null means the default). */
    public static BacnetBindingSettings of(Integer deviceInstance, String objectType, Integer objectInstance,
                                           String property, Integer writePriority, Boolean cov, Boolean covConfirmed,
                                           Double covIncrement, Integer pollSeconds) {
        if (deviceInstance == null) {
            throw new InvalidValueException("deviceInstance", "a device instance is required");
        }
        if (objectInstance == null) {
            throw new InvalidValueException("objectInstance", "an object instance is required");
        }
        return new BacnetBindingSettings(deviceInstance, BacnetObjectType.parse(objectType, "objectType"),
                objectInstance, parseProperty(property, "property"), writePriority, cov == null || cov,
                covConfirmed != null && covConfirmed, covIncrement,
                pollSeconds == null ? DEFAULT_POLL_SECONDS : pollSeconds);
    }

    /** The datapoint's type must be able to hold this object's values ({@link BacnetValues#compatible}). */
    public void checkDataType(DataType type) {
        if (property.equals(PropertyIdentifier.presentValue)
                && !BacnetValues.compatible(objectType.kind()).contains(type)) {
            throw new InvalidValueException("objectType", "a " + type + " datapoint cannot hold the present value of "
                    + "a " + objectType.text() + "; use one of " + BacnetValues.compatible(objectType.kind()));
        }
    }

    /** {@code present-value}, {@code presentValue} and {@code PRESENT_VALUE} name the same property. */
    public static PropertyIdentifier parseProperty(String value, String field) {
        if (value == null || value.isBlank()) {
            return PropertyIdentifier.presentValue;
        }
        String key = BacnetObjectType.normalize(value);
        for (var e : PropertyIdentifier.getNameMap().entrySet()) {
            if (BacnetObjectType.normalize(e.getKey()).equals(key)) {
                return (PropertyIdentifier) e.getValue();
            }
        }
        throw new InvalidValueException(field, "unknown BACnet property '" + BacnetObjectType.clip(value) + "'");
    }

    /** The standard's spelling of a property: {@code present-value}. */
    public static String propertyText(PropertyIdentifier p) {
        return p.toString().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    static void checkInstance(int instance, String field) {
        if (instance < 0 || instance > MAX_INSTANCE) {
            throw new InvalidValueException(field, "must be 0.." + MAX_INSTANCE + ", was " + instance);
        }
    }
}
