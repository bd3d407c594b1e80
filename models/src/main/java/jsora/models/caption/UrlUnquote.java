package jsora.models.caption;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Python's {@code urllib.parse.unquote_plus}: {@code +} becomes a space, then each ASCII run has its {@code %XX}
 * escapes turned into bytes and decoded as UTF-8 (malformed bytes become U+FFFD); an invalid escape stays as written.
 */
final class UrlUnquote {
    private UrlUnquote() {
    }

    static String unquotePlus(String s) {
        s = s.replace('+', ' ');
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end = i;
            boolean ascii = s.charAt(i) < 0x80;
            while (end < s.length() && (s.charAt(end) < 0x80) == ascii) {
                end++;
            }
            out.append(ascii ? decodeAsciiRun(s.substring(i, end)) : s.substring(i, end));
            i = end;
        }
        return out.toString();
    }

    private static String decodeAsciiRun(String run) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(run.length());
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c == '%' && i + 2 < run.length() && hex(run.charAt(i + 1)) >= 0 && hex(run.charAt(i + 2)) >= 0) {
                bytes.write(hex(run.charAt(i + 1)) * 16 + hex(run.charAt(i + 2)));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
