package jsora.models.pipeline;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a text against the grammar of Python's {@code json.loads} (strict: no control characters in strings; NaN,
 * Infinity and -Infinity allowed; only space, tab, CR and LF as white space; nothing after the value) and gives the
 * keys of the JSON object it holds, as Python's dict would list them (first occurrence order, each once).
 */
final class PythonJson {
    /** Deeper nesting is refused, as Python's decoder refuses it (RecursionError) instead of recursing on. */
    private static final int MAX_DEPTH = 500;

    private final String s;
    private int i;

    private PythonJson(String s) {
        this.s = s;
    }

    /**
     * The top-level keys of {@code text}, a JSON object; an IllegalArgumentException saying what is expected at which
     * character (from 0, as Python counts) if Python's {@code json.loads} would refuse the text or it is not an object.
     */
    static List<String> objectKeys(String text) {
        PythonJson p = new PythonJson(text);
        p.space();
        if (!p.at('{')) {
            throw p.fail("expecting a JSON object");
        }
        Set<String> keys = p.object(1);
        p.space();
        if (p.i < text.length()) {
            throw p.fail("extra data after the JSON object");
        }
        return List.copyOf(keys);
    }

    private Set<String> object(int depth) {
        Set<String> keys = new LinkedHashSet<>();
        i++;
        space();
        if (at('}')) {
            i++;
            return keys;
        }
        while (true) {
            if (!at('"')) {
                throw fail("expecting a property name enclosed in double quotes");
            }
            keys.add(string());
            space();
            if (!at(':')) {
                throw fail("expecting ':'");
            }
            i++;
            space();
            value(depth);
            space();
            if (at('}')) {
                i++;
                return keys;
            }
            if (!at(',')) {
                throw fail("expecting ',' or '}'");
            }
            i++;
            space();
        }
    }

    private void array(int depth) {
        i++;
        space();
        if (at(']')) {
            i++;
            return;
        }
        while (true) {
            value(depth);
            space();
            if (at(']')) {
                i++;
                return;
            }
            if (!at(',')) {
                throw fail("expecting ',' or ']'");
            }
            i++;
            space();
        }
    }

    private void value(int depth) {
        if (depth >= MAX_DEPTH) {
            throw fail("nested more than " + MAX_DEPTH + " deep");
        }
        if (at('{')) {
            object(depth + 1);
        } else if (at('[')) {
            array(depth + 1);
        } else if (at('"')) {
            string();
        } else if (!literal("null") && !literal("true") && !literal("false") && !literal("NaN")
                && !literal("Infinity") && !literal("-Infinity") && !number()) {
            throw fail("expecting a value");
        }
    }

    /** Python's {@code -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?}, if it matches here. */
    private boolean number() {
        int j = i;
        if (j < s.length() && s.charAt(j) == '-') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '0') {
            j++;
        } else if (digit(j)) {
            j = digits(j);
        } else {
            return false;
        }
        if (j + 1 < s.length() && s.charAt(j) == '.' && digit(j + 1)) {
            j = digits(j + 1);
        }
        if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                k++;
            }
            if (digit(k)) {
                j = digits(k);
            }
        }
        i = j;
        return true;
    }

    private boolean digit(int j) {
        return j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9';
    }

    private int digits(int j) {
        int k = j;
        while (digit(k)) {
            k++;
        }
        return k;
    }

    /** The string starting at the quote here, its escapes decoded. */
    private String string() {
        int start = i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                i = start;
                throw fail("unterminated string");
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return b.toString();
            }
            if (c < 0x20) {
                throw fail("invalid control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                i++;
                continue;
            }
            char e = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw fail("invalid \\escape");
            }
            i += e == 'u' ? 6 : 2;
        }
    }

    private char hex4() {
        if (i + 6 > s.length()) {
            throw fail("invalid \\uXXXX escape");
        }
        int v = 0;
        for (int k = i + 2; k < i + 6; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0 || s.charAt(k) > 'f') {
                throw fail("invalid \\uXXXX escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private boolean literal(String word) {
        if (s.startsWith(word, i)) {
            i += word.length();
            return true;
        }
        return false;
    }

    private boolean at(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(what + " at character " + i);
    }
}
