package jsora.models.t5;

/**
 * Extended grapheme cluster boundaries (Unicode UAX #29), as Rust's {@code unicode-segmentation} finds them for Hugging
 * Face's {@code Precompiled} normalizer. Implemented rules: CR LF stays together; breaks around other controls; Hangul
 * syllable sequences; extending characters (marks, ZWJ, ZWNJ, emoji modifiers, tags, spacing marks) join the previous
 * character; prepended concatenation marks join the next; emoji ZWJ sequences and regional-indicator pairs. The
 * Indic-conjunct rule (GB9c) is left out: it only joins clusters of 6 UTF-8 bytes or more, which the normalizer
 * handles one character at a time anyway.
 */
final class GraphemeClusters {
    private enum Kind {
        CR, LF, CONTROL, EXTEND, ZWJ, REGIONAL_INDICATOR, PREPEND, SPACING_MARK, L, V, T, LV, LVT, PICTOGRAPHIC, OTHER
    }

    private GraphemeClusters() {
    }

    /** The end (exclusive, in chars) of the cluster that starts at {@code start}. */
    static int clusterEnd(String s, int start) {
        int cp = s.codePointAt(start);
        Kind prev = kind(cp);
        boolean pictographicRun = prev == Kind.PICTOGRAPHIC; // ExtPict Extend* so far (for GB11)
        int regionalCount = prev == Kind.REGIONAL_INDICATOR ? 1 : 0;
        int i = start + Character.charCount(cp);
        while (i < s.length()) {
            int next = s.codePointAt(i);
            Kind k = kind(next);
            if (!joins(prev, k, pictographicRun, regionalCount)) {
                break;
            }
            pictographicRun = (pictographicRun && (k == Kind.EXTEND || k == Kind.ZWJ)) || k == Kind.PICTOGRAPHIC;
            regionalCount = k == Kind.REGIONAL_INDICATOR ? regionalCount + 1 : 0;
            prev = k;
            i += Character.charCount(next);
        }
        return i;
    }

    private static boolean joins(Kind prev, Kind next, boolean pictographicRun, int regionalCount) {
        if (prev == Kind.CR && next == Kind.LF) {
            return true;
        }
        if (prev == Kind.CR || prev == Kind.LF || prev == Kind.CONTROL || next == Kind.CR || next == Kind.LF
                || next == Kind.CONTROL) {
            return false;
        }
        if (prev == Kind.L && (next == Kind.L || next == Kind.V || next == Kind.LV || next == Kind.LVT)) {
            return true;
        }
        if ((prev == Kind.LV || prev == Kind.V) && (next == Kind.V || next == Kind.T)) {
            return true;
        }
        if ((prev == Kind.LVT || prev == Kind.T) && next == Kind.T) {
            return true;
        }
        if (next == Kind.EXTEND || next == Kind.ZWJ || next == Kind.SPACING_MARK || prev == Kind.PREPEND) {
            return true;
        }
        if (prev == Kind.ZWJ && next == Kind.PICTOGRAPHIC && pictographicRun) {
            return true;
        }
        return prev == Kind.REGIONAL_INDICATOR && next == Kind.REGIONAL_INDICATOR && regionalCount % 2 == 1;
    }

    private static Kind kind(int c) {
        if (c == '\r') {
            return Kind.CR;
        }
        if (c == '\n') {
            return Kind.LF;
        }
        if (c == 0x200D) {
            return Kind.ZWJ;
        }
        if (c == 0x200C || c == 0xFF9E || c == 0xFF9F || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020
                && c <= 0xE007F)) {
            return Kind.EXTEND;
        }
        if ((c >= 0x0600 && c <= 0x0605) || c == 0x06DD || c == 0x070F || c == 0x0890 || c == 0x0891
                || c == 0x08E2 || c == 0x110BD || c == 0x110CD) {
            return Kind.PREPEND;
        }
        if (c >= 0x1F1E6 && c <= 0x1F1FF) {
            return Kind.REGIONAL_INDICATOR;
        }
        Kind hangul = hangul(c);
        if (hangul != null) {
            return hangul;
        }
        int type = Character.getType(c);
        switch (type) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.FORMAT:
                return Kind.CONTROL;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK:
                return Kind.EXTEND;
            case Character.COMBINING_SPACING_MARK:
                return Kind.SPACING_MARK;
            default:
                break;
        }
        if (c == 0x0E33 || c == 0x0EB3) {
            return Kind.SPACING_MARK;
        }
        return isPictographic(c) ? Kind.PICTOGRAPHIC : Kind.OTHER;
    }

    private static Kind hangul(int c) {
        if ((c >= 0x1100 && c <= 0x115F) || (c >= 0xA960 && c <= 0xA97C)) {
            return Kind.L;
        }
        if ((c >= 0x1160 && c <= 0x11A7) || (c >= 0xD7B0 && c <= 0xD7C6)) {
            return Kind.V;
        }
        if ((c >= 0x11A8 && c <= 0x11FF) || (c >= 0xD7CB && c <= 0xD7FB)) {
            return Kind.T;
        }
        if (c >= 0xAC00 && c <= 0xD7A3) {
            return (c - 0xAC00) % 28 == 0 ? Kind.LV : Kind.LVT;
        }
        return null;
    }

    /** Extended_Pictographic, approximated by the emoji blocks (only GB11, emoji ZWJ sequences, depends on it). */
    private static boolean isPictographic(int c) {
        return c == 0x00A9 || c == 0x00AE || c == 0x203C || c == 0x2049 || c == 0x2122 || c == 0x2139
                || (c >= 0x2194 && c <= 0x21AA) || (c >= 0x231A && c <= 0x23FF) || (c >= 0x25AA && c <= 0x25FE)
                || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2934 && c <= 0x2935) || (c >= 0x2B05 && c <= 0x2B55)
                || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299 || (c >= 0x1F000 && c <= 0x1F0FF)
                || (c >= 0x1F10D && c <= 0x1F1AD) || (c >= 0x1F200 && c <= 0x1F3FA) || (c >= 0x1F400
                && c <= 0x1FAFF) || (c >= 0x1FC00 && c <= 0x1FFFD);
    }
}
