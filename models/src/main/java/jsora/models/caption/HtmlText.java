package jsora.models.caption;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code BeautifulSoup(text, "html.parser").text} for prompts: Python's {@code html.parser} tokenization (Python
 * 3.11, {@code convert_charrefs=False}) with BeautifulSoup's handlers. Tags, comments, declarations and processing
 * instructions are dropped, {@code <script>} / {@code <style>} content too; character references are decoded as
 * BeautifulSoup does: {@code &name} with or without {@code ;} when the name is an HTML5 entity (else kept as
 * {@code &name}, its {@code ;} consumed), {@code &#N;} below 256 read as windows-1252. A {@code <} that starts no markup
 * is text.
 */
final class HtmlText {
    private static final Pattern ENTITY_REF = Pattern.compile("&([a-zA-Z][-.a-zA-Z0-9]*)(?=[^a-zA-Z0-9])");
    private static final Pattern CHAR_REF = Pattern.compile("&#([0-9]+|[xX][0-9a-fA-F]+)(?=[^0-9a-fA-F])");
    private static final Pattern TAG_NAME = Pattern.compile("<([a-zA-Z][^\\t\\n\\r\\f />\\x00]*)");
    private static final Pattern COMMENT_CLOSE = Pattern.compile("--\\s*>");

    private HtmlText() {
    }

    static String text(String html) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = html.length();
        // BeautifulSoup calls feed() then close(); the first construct that feed() cannot finish moves parsing to
        // close(), which treats unfinished constructs differently (see the '&#' case below)
        boolean closing = false;
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<' && !startsMarkup(html, i)) {
                out.append('<');
                i++;
            } else if (c == '<') {
                int k = markupEnd(html, i);
                if (k < 0) {
                    closing = true;
                    // incomplete markup: Python hands it over as text up to the next '>' (or '<')
                    int gt = html.indexOf('>', i + 1);
                    int lt = html.indexOf('<', i + 1);
                    k = gt >= 0 ? gt + 1 : lt >= 0 ? lt : i + 1;
                    out.append(html, i, k);
                } else if (isRawTextStart(html, i, k)) {
                    k = skipRawText(html, k, tagName(html, i));
                }
                i = k;
            } else if (html.startsWith("&#", i) && !CHAR_REF.matcher(html).region(i, n).lookingAt()
                    && html.indexOf(';', i) >= 0) {
                // "&#" that starts no reference, with a ';' further on: Python emits "&#" and stops this pass;
                // in close() that stop leaves the rest of the text unparsed
                out.append("&#");
                if (closing) {
                    out.append(html, i + 2, n);
                    return out.toString();
                }
                closing = true;
                i += 2;
            } else if (c == '&') {
                int k = reference(html, i, out);
                if (k < 0) {
                    // an unfinished reference stops the parser and the rest stays raw; Python drops the '&' when
                    // exactly one letter follows it
                    out.append(html, n - i == 2 && !html.startsWith("&#", i) ? i + 1 : i, n);
                    return out.toString();
                }
                i = k;
            } else {
                int next = nextSpecial(html, i);
                out.append(html, i, next);
                i = next;
            }
        }
        return out.toString();
    }

    private static int nextSpecial(String s, int from) {
        for (int j = from; j < s.length(); j++) {
            if (s.charAt(j) == '<' || s.charAt(j) == '&') {
                return j;
            }
        }
        return s.length();
    }

    private static boolean startsMarkup(String s, int i) {
        if (i + 1 >= s.length()) {
            return false;
        }
        char next = s.charAt(i + 1);
        return isAsciiLetter(next) || next == '/' || next == '!' || next == '?';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** End (exclusive) of the markup starting at {@code i}, or -1 if it is unfinished. */
    private static int markupEnd(String s, int i) {
        char next = s.charAt(i + 1);
        if (isAsciiLetter(next)) {
            return startTagEnd(s, i);
        }
        if (s.startsWith("<!--", i)) {
            Matcher m = COMMENT_CLOSE.matcher(s);
            return m.find(i + 4) ? m.end() : -1;
        }
        int gt = s.indexOf('>', i + 2);
        return gt < 0 ? -1 : gt + 1;
    }

    /** A start tag ends at the first {@code >} outside a quoted attribute value. */
    private static int startTagEnd(String s, int i) {
        char quote = 0;
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if ((c == '"' || c == '\'') && afterEquals(s, j)) {
                quote = c;
            } else if (c == '>') {
                return j + 1;
            }
        }
        return -1;
    }

    private static boolean afterEquals(String s, int j) {
        int k = j - 1;
        while (k > 0 && PyRegex.isSpace(s.charAt(k))) {
            k--;
        }
        return s.charAt(k) == '=';
    }

    private static String tagName(String s, int i) {
        Matcher m = TAG_NAME.matcher(s).region(i, s.length());
        return m.lookingAt() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** A {@code <script>} or {@code <style>} start tag (not self-closed) that ends at {@code end}. */
    private static boolean isRawTextStart(String s, int i, int end) {
        String name = tagName(s, i);
        return (name.equals("script") || name.equals("style")) && !s.startsWith("/>", end - 2);
    }

    /** Skips script/style content up to its end tag (all of the rest when there is none). */
    private static int skipRawText(String s, int from, String name) {
        Matcher m = Pattern.compile("</\\s*" + name + "\\s*>", Pattern.CASE_INSENSITIVE).matcher(s);
        return m.find(from) ? m.end() : s.length();
    }

    /** Decodes the reference at {@code i} into {@code out}; returns where to go on, or -1 if it never ends. */
    private static int reference(String s, int i, StringBuilder out) {
        if (s.startsWith("&#", i)) {
            Matcher m = CHAR_REF.matcher(s).region(i, s.length());
            if (m.lookingAt()) {
                out.append(charRef(m.group(1)));
                return s.charAt(m.end()) == ';' ? m.end() + 1 : m.end();
            }
            return -1;
        }
        Matcher m = ENTITY_REF.matcher(s).region(i, s.length());
        if (m.lookingAt()) {
            String name = m.group(1);
            String value = HtmlEntities.get(name + ";");
            out.append(value != null ? value : "&" + name);
            return s.charAt(m.end()) == ';' ? m.end() + 1 : m.end();
        }
        if (i + 1 < s.length() && isAsciiLetter(s.charAt(i + 1))) {
            return -1;
        }
        out.append('&');
        return i + 1;
    }

    /** BeautifulSoup's {@code handle_charref}: below 256 as windows-1252, else the code point. */
    private static String charRef(String num) {
        boolean hex = num.startsWith("x") || num.startsWith("X");
        long code = HtmlEntities.parseCapped(hex ? num.substring(1) : num, hex ? 16 : 10);
        if (code < 256) {
            return Windows1252.decode((int) code);
        }
        return code > 0x10FFFF ? "\uFFFD" : new String(Character.toChars((int) code));
    }
}
