package jsora.models.caption;

import java.util.regex.Pattern;

/**
 * ftfy 6.3's {@code is_bad} heuristic: the text probably holds mojibake when it contains a C1 control character or
 * one of the character sequences that UTF-8 decoded as a single-byte code page produces and real text almost never
 * does (an accented lower-case letter followed by a currency sign, {@code Ã} followed by a Latin-1 symbol, ...). The
 * character groups below are ftfy's {@code MOJIBAKE_CATEGORIES}; the alternatives follow its {@code BADNESS_RE}.
 */
final class MojibakeDetector {
    private static final String COMMON = "\\u00a0\\u00ad\\u00b7\\u00b4\\u2013\\u2014\\u2015\\u2026\\u2019";
    private static final String C1 = "\\u0080-\\u009f";
    private static final String BAD = "\\u00a6\\u00a4\\u00a8\\u00ac\\u00af\\u00b8\\u0192\\u02c6\\u02c7\\u02d8\\u02db"
            + "\\u02dc\\u2020\\u2021\\u2030\\u2310\\u25ca\\ufffd\\u00aa\\u00ba";
    private static final String LAW = "\\u00b6\\u00a7";
    private static final String CURRENCY = "\\u00a2\\u00a3\\u00a5\\u20a7\\u20ac";
    private static final String START_PUNCT = "\\u00a1\\u00ab\\u00bf\\u00a9\\u0384\\u0385\\u2018\\u201a\\u201c"
            + "\\u201e\\u2022\\u2039\\uf8ff";
    private static final String END_PUNCT = "\\u00ae\\u00bb\\u02dd\\u201d\\u203a\\u2122";
    private static final String NUMERIC = "\\u00b2\\u00b3\\u00b9\\u00b1\\u00bc\\u00bd\\u00be\\u00d7\\u00b5\\u00f7"
            + "\\u2044\\u2202\\u2206\\u220f\\u2211\\u221a\\u221e\\u2229\\u222b\\u2248\\u2260\\u2261\\u2264\\u2265\\u2116";
    private static final String KAOMOJI = "\\u00d2-\\u00d6\\u00d9-\\u00dc\\u00f2-\\u00f6\\u00f8-\\u00fc\\u0150\\u014c"
            + "\\u016a\\u0172\\u00b0";
    private static final String UPPER_ACCENTED = "\\u00c0-\\u00d1\\u00d8\\u00dc\\u00dd\\u0102\\u0100\\u0104\\u0106"
            + "\\u010c\\u010e\\u0110\\u0118\\u011a\\u0112\\u0116\\u011e\\u0122\\u0130\\u012a\\u0136\\u0139\\u013d"
            + "\\u0141\\u013b\\u0143\\u0147\\u0145\\u0152\\u0158\\u015a\\u015e\\u0160\\u0162\\u0164\\u016e\\u0170"
            + "\\u0178\\u0179\\u017b\\u017d\\u0490";
    private static final String LOWER_ACCENTED = "\\u00df\\u00e0-\\u00f1\\u0103\\u0105\\u0101\\u0107\\u010d\\u010f"
            + "\\u0111\\u0119\\u011b\\u0113\\u0117\\u011f\\u0123\\u012f\\u012b\\u0137\\u013a\\u013e\\u0142\\u013c"
            + "\\u0153\\u0155\\u015b\\u015f\\u0161\\u0165\\u00fc\\u017a\\u017c\\u017e\\u0491\\ufb01\\ufb02";
    private static final String UPPER_COMMON = "\\u00de\\u0391-\\u03a9\\u0386\\u0388\\u0389\\u038a\\u038c\\u038e"
            + "\\u038f\\u03aa\\u03ab\\u0401-\\u042f";
    private static final String LOWER_COMMON = "\\u03b1-\\u03c9\\u03ac\\u03ad\\u03ae\\u03af\\u03b0\\u0430-\\u045f";
    private static final String BOX = "\\u2502\\u250c\\u2510\\u2518\\u251c\\u2524\\u252c\\u253c\\u2550-\\u256c"
            + "\\u2580\\u2584\\u2588\\u258c\\u2590\\u2591\\u2592\\u2593";

    private static final Pattern BADNESS = Pattern.compile(String.join("|",
            set(C1),
            set(BAD, LOWER_ACCENTED, UPPER_ACCENTED, BOX, START_PUNCT, END_PUNCT, CURRENCY, NUMERIC, LAW) + set(BAD),
            "[a-zA-Z]" + set(LOWER_COMMON, UPPER_COMMON) + set(BAD),
            set(BAD) + set(LOWER_ACCENTED, UPPER_ACCENTED, BOX, START_PUNCT, END_PUNCT, CURRENCY, NUMERIC, LAW),
            set(LOWER_ACCENTED, LOWER_COMMON, BOX, END_PUNCT, CURRENCY, NUMERIC) + set(UPPER_ACCENTED),
            set(BOX, END_PUNCT, CURRENCY, NUMERIC) + set(LOWER_ACCENTED),
            set(LOWER_ACCENTED, BOX, END_PUNCT) + set(CURRENCY),
            "[" + PyRegex.SPACE + "]" + set(UPPER_ACCENTED) + set(CURRENCY),
            set(UPPER_ACCENTED, BOX) + set(NUMERIC, LAW),
            set(LOWER_ACCENTED, UPPER_ACCENTED, BOX, CURRENCY, END_PUNCT) + set(START_PUNCT) + set(NUMERIC),
            set(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, BOX, LAW) + set(END_PUNCT) + set(START_PUNCT),
            set(CURRENCY, NUMERIC, BOX) + set(START_PUNCT),
            "[a-z]" + set(UPPER_ACCENTED) + set(START_PUNCT, CURRENCY),
            set(BOX) + set(KAOMOJI),
            set(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, START_PUNCT, END_PUNCT, LAW) + set(BOX),
            set(BOX) + set(END_PUNCT),
            set(LOWER_ACCENTED, UPPER_ACCENTED) + set(START_PUNCT, END_PUNCT) + "[\\p{L}\\p{N}_]",
            "[\\u0152\\u0153][^A-Za-z]",
            set(UPPER_ACCENTED) + "\\u00b0",
            "[\\u00c2\\u00c3\\u00ce\\u00d0]" + set("\\u20ac\\u0153\\u0160\\u0161\\u00a2\\u00a3\\u0178\\u017e\\u00a0"
                    + "\\u00ad\\u00ae\\u00a9\\u00b0\\u00b7\\u00bb", START_PUNCT, END_PUNCT, "\\u2013\\u2014\\u00b4"),
            "\\u00d7[\\u00b2\\u00b3]",
            "[\\u00d8\\u00d9]" + set(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCT, "\\u0178\\u0160\\u00ae\\u00b0\\u00b5"
                    + "\\u00bb") + "[\\u00d8\\u00d9]" + set(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCT,
                    "\\u0178\\u0160\\u00ae\\u00b0\\u00b5\\u00bb"),
            "\\u00e0[\\u00b2\\u00b5\\u00b9\\u00bc\\u00bd\\u00be]",
            "\\u221a[\\u00b1\\u2202\\u2020\\u2260\\u00ae\\u2122\\u00b4\\u2264\\u2265\\u00a5\\u00b5\\u00f8]",
            "\\u2248[\\u00b0\\u00a2]",
            "\\u201a\\u00c4[\\u00ec\\u00ee\\u00ef\\u00f2\\u00f4\\u00fa\\u00f9\\u00fb\\u2020\\u00b0\\u00a2\\u03c0]",
            "\\u201a[\\u00e2\\u00f3][\\u00e0\\u00e4\\u00b0\\u00ea]",
            "\\u0432\\u0402",
            "[\\u0412\\u0413\\u0420\\u0421]" + set(C1, BAD, START_PUNCT, END_PUNCT, CURRENCY, "\\u00b0\\u00b5")
                    + "[\\u0412\\u0413\\u0420\\u0421]",
            "\\u0413\\u045e\\u0412\\u0402\\u0412.[A-Za-z ]",
            "\\u00c3[\\u00a0\\u00a1]",
            "[a-z][" + PyRegex.SPACE + "]?[\\u00c3\\u00c2] ",
            "^[\\u00c3\\u00c2] ",
            "[a-z.,?!" + END_PUNCT + "]\\u00c2[ " + START_PUNCT + END_PUNCT + "]",
            "\\u03b2\\u20ac[\\u2122\\u00a0\\u0386\\u00ad\\u00ae\\u00b0]",
            "[\\u0392\\u0393\\u039e\\u039f]" + set(C1, BAD, START_PUNCT, END_PUNCT, CURRENCY, "\\u00b0")
                    + "[\\u0392\\u0393\\u039e\\u039f]",
            "\\u0101\\u20ac"), Pattern.UNIX_LINES);

    private MojibakeDetector() {
    }

    static boolean isBad(String text) {
        return BADNESS.matcher(text).find();
    }

    private static String set(String... groups) {
        return "[" + String.join("", groups) + "]";
    }
}
