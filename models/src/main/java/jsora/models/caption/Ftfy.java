package jsora.models.caption;

import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ftfy.fix_text(text)} with ftfy 6.3's default configuration, as Open-Sora's {@code basic_clean} calls it. The
 * text is fixed line by line (HTML unescaping is switched off for good from the first line holding {@code <}); each
 * line goes through the fix loop until nothing changes: HTML entities, mojibake repair ({@link EncodingFixer}), C1
 * controls read as windows-1252, Latin ligatures, full/half-width forms, curly quotes, line breaks, lone surrogates,
 * terminal escapes, control characters, then NFC.
 */
final class Ftfy {
    private static final Pattern HTML_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    private static final Pattern TERMINAL_ESCAPE = Pattern.compile("\u001b\\[((?:\\d|;)*)([a-zA-Z])");
    private static final Pattern C1 = Pattern.compile("[\\x80-\\x9f]");
    private static final String[][] LIGATURES = {{"\u0132", "IJ"}, {"\u0133", "ij"}, {"\u0149", "\u02bcn"},
        {"\u01c4", "D\u017d"}, {"\u01c5", "D\u017e"}, {"\u01c6", "d\u017e"}, {"\u01c7", "LJ"}, {"\u01c8", "Lj"},
        {"\u01c9", "lj"}, {"\u01ca", "NJ"}, {"\u01cb", "Nj"}, {"\u01cc", "nj"}, {"\u01f1", "DZ"},
        {"\u01f2", "Dz"}, {"\u01f3", "dz"}, {"\ufb00", "ff"}, {"\ufb01", "fi"}, {"\ufb02", "fl"},
        {"\ufb03", "ffi"}, {"\ufb04", "ffl"}, {"\ufb05", "\u017ft"}, {"\ufb06", "st"}};

    private Ftfy() {
    }

    static String fixText(String text) {
        StringBuilder out = new StringBuilder();
        boolean unescapeHtml = true;
        int pos = 0;
        while (pos < text.length()) {
            int br = text.indexOf('\n', pos);
            int end = br < 0 ? text.length() : br + 1;
            String segment = text.substring(pos, end);
            unescapeHtml &= segment.indexOf('<') < 0;
            out.append(fixSegment(segment, unescapeHtml));
            pos = end;
        }
        return out.toString();
    }

    private static String fixSegment(String text, boolean unescapeHtml) {
        while (true) {
            String orig = text;
            if (unescapeHtml) {
                text = unescapeHtml(text);
            }
            text = EncodingFixer.fixEncoding(text);
            text = fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = TERMINAL_ESCAPE.matcher(text).replaceAll("");
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(orig)) {
                return text;
            }
        }
    }

    /** ftfy's {@code unescape_html}: entities that end in {@code ;} (and upper-cased Latin ones), numeric refs. */
    static String unescapeHtml(String text) {
        Matcher m = HTML_ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(unescapeOne(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String unescapeOne(String entity) {
        String name = entity.substring(1);
        String value = HtmlEntities.get(name);
        if (value != null) {
            return value;
        }
        if (name.startsWith("#")) {
            String decoded = HtmlEntities.unescape(entity);
            return decoded.contains(";") ? entity : decoded;
        }
        // an all-caps spelling of a lower-case entity, unless that spelling is itself an entity
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String lowerValue = HtmlEntities.get(lower);
        if (lowerValue != null && lower.toUpperCase(java.util.Locale.ROOT).equals(name)
                && HtmlEntities.unescape(entity).equals(entity)) {
            return lowerValue.toUpperCase(java.util.Locale.ROOT);
        }
        return entity;
    }

    static String fixC1Controls(String text) {
        Matcher m = C1.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(Windows1252.decode(m.group().charAt(0))));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String fixLatinLigatures(String text) {
        for (String[] l : LIGATURES) {
            text = text.replace(l[0], l[1]);
        }
        return text;
    }

    /** U+3000 and the half/full-width forms U+FF01..U+FFEF become their NFKC equivalents. */
    static String fixCharacterWidth(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u3000') {
                out.append(' ');
            } else if (c >= '\uFF01' && c < '\uFFF0') {
                out.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String uncurlQuotes(String text) {
        return text.replaceAll("[\u201c-\u201f]", "\"").replaceAll("[\u02bc\u2018-\u201b]", "'");
    }

    static String fixLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n')
                .replace('\u0085', '\n');
    }

    /** Lone surrogates become U+FFFD (pairs are already whole characters in Java). */
    static String fixSurrogates(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** Drops U+0000..0008, 000B, 000E..001F, 007F, 206A..206F, FEFF, FFF9..FFFC. */
    static String removeControlChars(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
            if (!control) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
