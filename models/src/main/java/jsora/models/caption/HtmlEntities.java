package jsora.models.caption;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WHATWG HTML5 named character references (resource {@code html5-entities.txt}, the table of Python's
 * {@code html.entities.html5}: names with {@code ;}, plus the legacy ones also valid without it) and Python's
 * {@code html.unescape} over them.
 */
final class HtmlEntities {
    private static final Map<String, String> TABLE = load();
    private static final Pattern CHARREF = Pattern.compile(
            "&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

    private HtmlEntities() {
    }

    /** The characters of an entity name as the table spells it ({@code amp;} or {@code amp}), or null. */
    static String get(String name) {
        return TABLE.get(name);
    }

    /** Python's {@code html.unescape}: named and numeric references, longest legacy name without {@code ;}. */
    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
            String digits = ref.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            return numeric(parseCapped(digits, hex ? 16 : 10));
        }
        String value = TABLE.get(ref);
        if (value != null) {
            return value;
        }
        for (int x = ref.length() - 1; x > 1; x--) {
            value = TABLE.get(ref.substring(0, x));
            if (value != null) {
                return value + ref.substring(x);
            }
        }
        return "&" + ref;
    }

    /** A numeric reference as html.unescape maps it (windows-1252 for 0x80..0x9F, U+FFFD or nothing if invalid). */
    static String numeric(long code) {
        if (code == 0) {
            return "\uFFFD";
        }
        if (code == 0x0D) {
            return "\r";
        }
        if (code >= 0x80 && code <= 0x9F) {
            return Windows1252.decode((int) code);
        }
        if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
            return "\uFFFD";
        }
        if ((code >= 0x01 && code <= 0x08) || code == 0x0B || (code >= 0x0E && code <= 0x1F) || code == 0x7F
                || (code >= 0xFDD0 && code <= 0xFDEF) || (code & 0xFFFE) == 0xFFFE) {
            return "";
        }
        return new String(Character.toChars((int) code));
    }

    /** Parses digits, saturating at a value above U+10FFFF. */
    static long parseCapped(String digits, int radix) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            v = Math.min(v * radix + Character.digit(digits.charAt(i), radix), 0x7FFFFFFFL);
        }
        return v;
    }

    private static Map<String, String> load() {
        Map<String, String> table = new HashMap<>(4096);
        try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource html5-entities.txt missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                StringBuilder chars = new StringBuilder();
                for (String hex : line.substring(tab + 1).split(" ")) {
                    chars.appendCodePoint(Integer.parseInt(hex, 16));
                }
                table.put(line.substring(0, tab), chars.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }
}
