package jsora.models.caption;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a Python {@code re} pattern (str, no flags) into a Java {@link Pattern} with Python's Unicode meanings of
 * {@code \w} (letters, numbers, underscore: {@code str.isalnum()}), {@code \d} (decimal digits), {@code \s}
 * ({@code str.isspace()}, which includes U+001C..U+001F but not U+200B) and {@code \b}, and Python's {@code $} (end,
 * or before a final {@code \n} only).
 */
final class PyRegex {
    /** Python's {@code str.isspace()} set. */
    static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F"
            + "\\u205F\\u3000";
    /**
     * Python's {@code \w}. The literal supplementary letter U+10000 (already a letter) makes Java compile
     * look-behinds that step over surrogate pairs, so {@code \b} sees astral letters as word characters.
     */
    private static final String WORD = "[\\p{L}\\p{N}_\uD800\uDC00]";
    private static final String NOT_WORD = "[^\\p{L}\\p{N}_]";

    private PyRegex() {
    }

    static Pattern compile(String python) {
        StringBuilder java = new StringBuilder();
        for (int i = 0; i < python.length(); i++) {
            char c = python.charAt(i);
            if (c != '\\' || i + 1 == python.length()) {
                java.append(c);
                continue;
            }
            char e = python.charAt(++i);
            switch (e) {
                case 'w' -> java.append(WORD);
                case 'W' -> java.append(NOT_WORD);
                case 'd' -> java.append("[\\p{Nd}]");
                case 'D' -> java.append("[^\\p{Nd}]");
                case 's' -> java.append('[').append(SPACE).append(']');
                case 'S' -> java.append("[^").append(SPACE).append(']');
                case 'b' -> java.append("(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))");
                default -> java.append('\\').append(e);
            }
        }
        return Pattern.compile(java.toString(), Pattern.UNIX_LINES);
    }

    /** Python's {@code re.sub(pattern, replacement, text)} with a literal replacement. */
    static String sub(Pattern p, String replacement, String text) {
        return p.matcher(text).replaceAll(Matcher.quoteReplacement(replacement));
    }

    static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** Python's {@code str.strip()}. */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }
}
