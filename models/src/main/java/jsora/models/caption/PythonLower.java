package jsora.models.caption;

import java.util.Locale;

/**
 * Python's {@code str.lower()}: full Unicode lower-casing of each character ({@code İ} becomes {@code i} + U+0307)
 * with Python's rule for capital sigma: final {@code ς} when a cased letter precedes it (skipping case-ignorable
 * characters) and none follows it, else {@code σ}. Java's own final-sigma test differs (e.g. before a digit).
 */
final class PythonLower {
    private static final int CAPITAL_SIGMA = 0x3A3;

    private PythonLower() {
    }

    static String lower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                out.append(isFinalSigma(s, i) ? '\u03c2' : '\u03c3');
            } else {
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static boolean isFinalSigma(String s, int at) {
        int j = at;
        int before = -1;
        while (j > 0) {
            int cp = s.codePointBefore(j);
            j -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                before = cp;
                break;
            }
        }
        if (before < 0 || !isCased(before)) {
            return false;
        }
        for (int k = at + 1; k < s.length(); ) {
            int cp = s.codePointAt(k);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
            k += Character.charCount(cp);
        }
        return true;
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /** Mn, Me, Cf, Lm, Sk and the word-break MidLetter / MidNumLet / Single_Quote characters. */
    private static boolean isCaseIgnorable(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || type == Character.MODIFIER_LETTER || type == Character.MODIFIER_SYMBOL || cp == '\'' || cp == '.'
                || cp == ':' || cp == 0xB7 || cp == 0x387 || cp == 0x5F4 || cp == 0x2018 || cp == 0x2019
                || cp == 0x2024 || cp == 0x2027 || cp == 0xFE13 || cp == 0xFE52 || cp == 0xFE55 || cp == 0xFF07
                || cp == 0xFF0E || cp == 0xFF1A;
    }
}
