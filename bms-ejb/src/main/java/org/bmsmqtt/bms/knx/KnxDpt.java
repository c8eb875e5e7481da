package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.datapoint.DataType;
import org.bmsmqtt.bms.shared.InvalidValueException;
import tuwien.auto.calimero.KNXException;
import tuwien.auto.calimero.dptxlator.DPTXlator;
import tuwien.auto.calimero.dptxlator.TranslatorTypes;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A supported KNX datapoint type and how its values map onto a datapoint's {@link DataType}. Encoding and decoding
 * go through Calimero's translators (a new one per call: they hold state and are not thread-safe); this class only
 * chooses the datapoint side's form. Values on our side are the engine's canonical text ({@code ValueCodec}).
 *
 * <pre>
 * DPT          data types          form on our side
 * 1.x          BOOLEAN             true / false
 * 3.007/3.008  INTEGER             -7..+7: sign = control bit (+ = increase / down), magnitude = step code, 0 = break
 * 5.x          INTEGER, REAL       the scaled value (5.001: 0..100 %, 5.010: 0..255)
 * 6.x, 7.x, 8.x, 12.x, 13.x
 *              INTEGER, REAL       the (scaled) number; REAL keeps scaled subtypes' fractions (8.010: 0.01 %)
 * 9.x, 14.x    REAL                the number (9.x rounded to its resolution of 0.01)
 * 16.000/16.001 STRING             up to 14 characters (ASCII / ISO 8859-1)
 * 17.001       INTEGER             scene number 0..63
 * 18.001       INTEGER             the octet: scene 0..63, +128 to learn (133 = learn scene 5)
 *              STRING              Calimero's text: "activate 5", "learn 5"
 * 20.102       INTEGER             0 auto, 1 comfort, 2 standby, 3 economy, 4 building protection
 *              STRING              those names
 * 232.600      STRING              "#rrggbb" (hex)
 *              INTEGER             0xRRGGBB as a number (16744449 = #ff8001)
 * </pre>
 */
public final class KnxDpt {

    private static final Pattern ID = Pattern.compile("(\\d{1,5})\\.(\\d{1,5})");
    private static final Pattern RGB = Pattern.compile("#?([0-9a-fA-F]{6})");
    private static final Set<Integer> WHOLE_MAIN_TYPES = Set.of(1, 3, 5, 6, 7, 8, 9, 12, 13, 14, 16);
    private static final Set<String> SINGLE_SUBTYPES = Set.of("17.001", "18.001", "20.102", "232.600");

    private final String id;
    private final int main;
    private final Set<DataType> types;

    private KnxDpt(String id, int main, Set<DataType> types) {
        this.id = id;
        this.main = main;
        this.types = types;
    }

    /** The supported DPT {@code text} (e.g. "9.001"; "9.1" is read as 9.001), or a clear error naming the field. */
    public static KnxDpt of(String text, String field) {
        var m = text == null ? null : ID.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidValueException(field, "a DPT is main.sub, e.g. 9.001: '" + text + "'");
        }
        int main = Integer.parseInt(m.group(1));
        String id = main + "." + String.format(Locale.ROOT, "%03d", Integer.parseInt(m.group(2)));
        boolean supported = WHOLE_MAIN_TYPES.contains(main) ? TranslatorTypes.hasTranslator(main, id)
                : SINGLE_SUBTYPES.contains(id);
        if (!supported) {
            throw new InvalidValueException(field, "DPT " + id + " is not supported (supported: 1.x, 3.x, 5.x, 6.x, 7.x, "
                    + "8.x, 9.x, 12.x, 13.x, 14.x, 16.x, 17.001, 18.001, 20.102, 232.600)");
        }
        return new KnxDpt(id, main, typesOf(main));
    }

    private static Set<DataType> typesOf(int main) {
        return switch (main) {
            case 1 -> EnumSet.of(DataType.BOOLEAN);
            case 3, 17 -> EnumSet.of(DataType.INTEGER);
            case 5, 6, 7, 8, 12, 13 -> EnumSet.of(DataType.INTEGER, DataType.REAL);
            case 9, 14 -> EnumSet.of(DataType.REAL);
            case 16 -> EnumSet.of(DataType.STRING);
            default -> EnumSet.of(DataType.INTEGER, DataType.STRING); // 18.001, 20.102, 232.600
        };
    }

    public String id() {
        return id;
    }

    public Set<DataType> dataTypes() {
        return types;
    }

    /** Refuses a datapoint whose type this DPT cannot carry: at configuration time, not at the first telegram. */
    public void requireCompatible(DataType type, String field) {
        if (!types.contains(type)) {
            throw new InvalidValueException(field, "DPT " + id + " does not fit a datapoint of type " + type
                    + " (it fits " + types + ")");
        }
    }

    /** The ASDU of a group write for the datapoint value {@code canonical} of {@code type}. */
    public byte[] encode(DataType type, String canonical) {
        return translator(type, canonical).getData();
    }

    /** A translator holding the value {@code canonical} of {@code type}: what a group write sends. */
    public DPTXlator translator(DataType type, String canonical) {
        DPTXlator x = translator();
        try {
            switch (type) {
                case BOOLEAN -> x.setValue(Boolean.parseBoolean(canonical) ? 1 : 0);
                case STRING -> setText(x, canonical);
                default -> setNumber(x, canonical);
            }
        } catch (KNXException | RuntimeException e) {
            throw new InvalidValueException("value", "'" + clip(canonical) + "' does not fit DPT " + id + ": "
                    + e.getMessage());
        }
        return x;
    }

    /** The canonical datapoint value of {@code type} for a telegram's ASDU. */
    public String decode(DataType type, byte[] asdu) {
        DPTXlator x = translator();
        try {
            x.setData(asdu);
            return switch (type) {
                case BOOLEAN -> Boolean.toString(x.getNumericValue() != 0);
                case STRING -> text(x);
                case INTEGER -> Long.toString(integer(x));
                case REAL -> Double.toString(real(x));
            };
        } catch (KNXException | RuntimeException e) {
            throw new InvalidValueException("value", "telegram " + HexFormat.of().formatHex(asdu) + " is not a DPT "
                    + id + " value: " + e.getMessage());
        }
    }

    private void setNumber(DPTXlator x, String canonical) throws KNXException {
        double v = Double.parseDouble(canonical);
        if (main == 232) {
            long rgb = (long) v;
            if (rgb < 0 || rgb > 0xffffff) {
                throw new KNXException("RGB value out of range 0..16777215 (0xRRGGBB)");
            }
            ((tuwien.auto.calimero.dptxlator.DPTXlatorRGB) x).setValue((int) (rgb >> 16), (int) (rgb >> 8 & 0xff),
                    (int) (rgb & 0xff));
        } else if (main == 18) {
            int octet = (int) v;
            if (v != octet || octet < 0 || octet > 191 || (octet & 0x40) != 0) {
                throw new KNXException("scene control is scene 0..63, +128 to learn");
            }
            ((tuwien.auto.calimero.dptxlator.DPTXlatorSceneControl) x).setValue((octet & 0x80) != 0, octet & 0x3f);
        } else if (main == 3) {
            int step = (int) v;
            if (v != step || step < -7 || step > 7) {
                throw new KNXException("a step is -7..+7 (0 = break)");
            }
            ((tuwien.auto.calimero.dptxlator.DPTXlator3BitControlled) x).setValue(step);
        } else {
            x.setValue(v);
        }
    }

    private void setText(DPTXlator x, String canonical) throws KNXException {
        if (main == 232) {
            var m = RGB.matcher(canonical.trim());
            if (!m.matches()) {
                throw new KNXException("an RGB colour is #rrggbb");
            }
            setNumber(x, Long.toString(Long.parseLong(m.group(1), 16)));
        } else {
            x.setValue(canonical);
        }
    }

    private String text(DPTXlator x) {
        if (main == 232) {
            var rgb = (tuwien.auto.calimero.dptxlator.DPTXlatorRGB) x;
            return String.format(Locale.ROOT, "#%02x%02x%02x", rgb.red(), rgb.green(), rgb.blue());
        }
        return x.getValue();
    }

    private long integer(DPTXlator x) throws KNXException {
        return switch (main) {
            case 3 -> ((tuwien.auto.calimero.dptxlator.DPTXlator3BitControlled) x).getValueSigned();
            case 18, 232 -> unsigned(x.getData());
            default -> Math.round(x.getNumericValue());
        };
    }

    private double real(DPTXlator x) throws KNXException {
        double v = x.getNumericValue();
        if (main == 14) {
            return Double.parseDouble(Float.toString((float) v)); // the float on the bus, not its binary expansion
        }
        // The resolution of every other numeric DPT is 0.01 or coarser: two decimals lose nothing and re-encode equal.
        return Math.round(v * 100) / 100.0;
    }

    private static long unsigned(byte[] data) {
        long v = 0;
        for (byte b : data) {
            v = v << 8 | (b & 0xff);
        }
        return v;
    }

    private DPTXlator translator() {
        try {
            DPTXlator x = TranslatorTypes.createTranslator(id);
            x.setAppendUnit(false);
            return x;
        } catch (KNXException e) {
            throw new IllegalStateException("Calimero has no translator for " + id, e); // checked in of()
        }
    }

    private static String clip(String t) {
        return t == null ? "" : t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    @Override
    public String toString() {
        return id;
    }
}
