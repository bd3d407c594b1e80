package jsora.models.caption;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy 6.3's {@code fix_encoding}: while the text looks like mojibake ({@link MojibakeDetector}), encode it in the
 * first single-byte code page that can hold all of it ({@link SingleByteCodec}) and decode the bytes as UTF-8 (after
 * {@code restore_byte_a0} and {@code replace_lossy_sequences}; {@code utf-8-variants} when CESU-8 / Java-style NUL
 * bytes appear). Otherwise repair embedded UTF-8 runs on their own ({@code decode_inconsistent_utf8}), read Latin-1
 * text as windows-1252, or map leftover C1 controls through windows-1252.
 */
final class EncodingFixer {
    /** Byte patterns are matched on Latin-1 strings, one char per byte. */
    private static final Pattern ALTERED_UTF8 = Pattern.compile("[\\xc2\\xc3\\xc5\\xce\\xd0\\xd9][ ]"
            + "|[\\xe2\\xe3][ ][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf]"
            + "|[\\xe0-\\xe3][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf][ ]"
            + "|[\\xf0][ ][\\x80-\\xbf][\\x80-\\xbf]|[\\xf0][\\x80-\\xbf][ ][\\x80-\\xbf]"
            + "|[\\xf0][\\x80-\\xbf][\\x80-\\xbf][ ]");
    private static final Pattern A_GRAVE_WORD = Pattern.compile("\\xc3 (?! |quele|quela|quilo|s )");
    private static final Pattern LOSSY_UTF8 = Pattern.compile("[\\xc2-\\xdf][\\x1a]|[\\xc2-\\xc3][?]"
            + "|\\xed[\\xa0-\\xaf][\\x1a?]\\xed[\\xb0-\\xbf][\\x1a?\\x80-\\xbf]"
            + "|\\xed[\\xa0-\\xaf][\\x1a?\\x80-\\xbf]\\xed[\\xb0-\\xbf][\\x1a?]"
            + "|[\\xe0-\\xef][\\x1a?][\\x1a\\x80-\\xbf]|[\\xe0-\\xef][\\x1a\\x80-\\xbf][\\x1a?]"
            + "|[\\xf0-\\xf4][\\x1a?][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf]"
            + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a?][\\x1a\\x80-\\xbf]"
            + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf][\\x1a?]|\\x1a");
    private static final String REPLACEMENT_UTF8 = "\u00ef\u00bf\u00bd";

    // ftfy's UTF8_CLUES: characters that single-byte code pages decode UTF-8 lead / continuation bytes to
    private static final String FIRST_OF_2 = "\\u00c2-\\u00df\\u0100\\u0102\\u0106\\u010c\\u010e\\u0110\\u0112\\u0116"
            + "\\u0118\\u011a\\u011e\\u0122\\u012a\\u0130\\u0136\\u0139\\u013b\\u0141\\u0143\\u0145\\u0147\\u014c"
            + "\\u0150\\u0158\\u015a\\u015e\\u0160\\u0162\\u016a\\u016e\\u0170\\u0172\\u0179\\u017b\\u017d"
            + "\\u0392-\\u03a1\\u03a3-\\u03af\\u0412-\\u042f";
    private static final String FIRST_OF_3 = "\\u00e0-\\u00ef\\u0101\\u0103\\u0105\\u0107\\u010d\\u010f\\u0113\\u0117"
            + "\\u0119\\u011b\\u0123\\u012b\\u012f\\u0137\\u013a\\u013c\\u0155\\u017a\\u03b0-\\u03bf\\u0430-\\u043f";
    private static final String FIRST_OF_4 = "\\u00f0\\u00f3\\u0111\\u011f\\u0161\\u03c0\\u03c3\\u0440\\u0443";
    private static final String CONTINUATION_COMMON = "\\u0080-\\u00bf\\u00c6\\u00d8\\u00e6\\u00f8\\u0104\\u0105"
            + "\\u013d\\u013e\\u0141\\u0142\\u0152\\u0153\\u0156\\u0157\\u015a\\u015b\\u015e-\\u0161\\u0164\\u0165"
            + "\\u0178-\\u017e\\u0192\\u02c6\\u02c7\\u02d8\\u02db-\\u02dd\\u0384-\\u0386\\u0388-\\u038a\\u038c\\u038e"
            + "\\u038f\\u0401-\\u040c\\u040e\\u040f\\u0451-\\u045c\\u045e\\u045f\\u0490\\u0491\\u2020\\u2021\\u2030"
            + "\\u2039\\u203a\\u20ac\\u2116\\u2122";
    private static final String CONTINUATION = "[ " + CONTINUATION_COMMON
            + "\\u2013-\\u2015\\u2018-\\u201a\\u201c-\\u201e\\u2022\\u2026]";
    private static final Pattern UTF8_DETECTOR = Pattern.compile("(?<![" + CONTINUATION_COMMON + "])(?:["
            + FIRST_OF_2 + "]" + CONTINUATION + "|[" + FIRST_OF_3 + "]" + CONTINUATION + "{2}|[" + FIRST_OF_4 + "]"
            + CONTINUATION + "{3})+");

    private EncodingFixer() {
    }

    static String fixEncoding(String text) {
        while (true) {
            String fixed = step(text);
            if (fixed.equals(text)) {
                return text;
            }
            text = fixed;
        }
    }

    private static String step(String text) {
        if (text.isEmpty() || text.chars().allMatch(c -> c < 0x80) || !MojibakeDetector.isBad(text)) {
            return text;
        }
        boolean latin1Possible = false;
        for (SingleByteCodec codec : SingleByteCodec.MOJIBAKE_ENCODINGS) {
            byte[] bytes = codec.encode(text);
            if (bytes == null) {
                continue;
            }
            latin1Possible |= codec.name.equals("latin-1");
            String raw = new String(bytes, StandardCharsets.ISO_8859_1);
            if (!codec.name.equals("macroman") && ALTERED_UTF8.matcher(raw).find()) {
                raw = restoreByteA0(raw);
            }
            if (codec.name.startsWith("sloppy")) {
                raw = LOSSY_UTF8.matcher(raw).replaceAll(REPLACEMENT_UTF8);
            }
            String decoded = raw.indexOf('\u00ed') >= 0 || raw.indexOf('\u00c0') >= 0 ? decodeUtf8Variants(raw)
                    : SingleByteCodec.decodeUtf8(raw.getBytes(StandardCharsets.ISO_8859_1));
            if (decoded != null) {
                return decoded;
            }
        }
        if (UTF8_DETECTOR.matcher(text).find()) {
            String fixed = decodeInconsistentUtf8(text);
            if (!fixed.equals(text)) {
                return fixed;
            }
        }
        if (latin1Possible) {
            String asWindows1252 = latin1AsWindows1252(text);
            if (asWindows1252 != null && !asWindows1252.equals(text)) {
                return asWindows1252;
            }
        }
        return Ftfy.fixC1Controls(text);
    }

    /** A space that stood for byte A0 inside a UTF-8 sequence is put back (and {@code Ã } before a word). */
    private static String restoreByteA0(String raw) {
        raw = A_GRAVE_WORD.matcher(raw).replaceAll("\u00c3\u00a0 ");
        Matcher m = ALTERED_UTF8.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group().replace(' ', '\u00a0')));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** UTF-8 that also accepts CESU-8 surrogate pairs and the two-byte NUL {@code C0 80}; null if invalid. */
    private static String decodeUtf8Variants(String raw) {
        StringBuilder fixed = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            if (raw.startsWith("\u00c0\u0080", i)) {
                fixed.append('\u0000');
                i++;
            } else if (i + 5 < raw.length() && raw.charAt(i) == 0xED && inRange(raw.charAt(i + 1), 0xA0, 0xAF)
                    && inRange(raw.charAt(i + 2), 0x80, 0xBF) && raw.charAt(i + 3) == 0xED
                    && inRange(raw.charAt(i + 4), 0xB0, 0xBF) && inRange(raw.charAt(i + 5), 0x80, 0xBF)) {
                int high = 0xD000 | ((raw.charAt(i + 1) & 0x3F) << 6) | (raw.charAt(i + 2) & 0x3F);
                int low = 0xD000 | ((raw.charAt(i + 4) & 0x3F) << 6) | (raw.charAt(i + 5) & 0x3F);
                String pair = new String(new char[] {(char) high, (char) low});
                fixed.append(new String(pair.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                i += 5;
            } else {
                fixed.append(raw.charAt(i));
            }
        }
        return SingleByteCodec.decodeUtf8(fixed.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean inRange(char c, int from, int to) {
        return c >= from && c <= to;
    }

    /** Fixes each UTF-8-looking run that is shorter than the text and looks bad by itself. */
    private static String decodeInconsistentUtf8(String text) {
        Matcher m = UTF8_DETECTOR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String run = m.group();
            String fixed = run.length() < text.length() && MojibakeDetector.isBad(run) ? fixEncoding(run) : run;
            m.appendReplacement(out, Matcher.quoteReplacement(fixed));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Latin-1 text read as strict windows-1252; null where one of its five undefined bytes occurs. */
    private static String latin1AsWindows1252(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) {
                return null;
            }
            out.append(Windows1252.decode(c));
        }
        return out.toString();
    }
}
