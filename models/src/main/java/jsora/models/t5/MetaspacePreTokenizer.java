package jsora.models.t5;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's {@code WhitespaceSplit} (optional) followed by {@code Metaspace}: split on runs of Unicode
 * white space and drop empty words, turn remaining spaces into {@code ▁}, prefix a word with {@code ▁} unless it
 * already starts with one (prepend scheme), then cut before every inner {@code ▁} (split, delimiter merged with the
 * next word).
 */
final class MetaspacePreTokenizer {
    /** When Metaspace adds the replacement in front of a word. */
    enum PrependScheme {
        ALWAYS, FIRST, NEVER
    }

    private final boolean whitespaceSplit;
    private final char replacement;
    private final PrependScheme prependScheme;
    private final boolean split;

    MetaspacePreTokenizer(boolean whitespaceSplit, char replacement, PrependScheme prependScheme, boolean split) {
        this.whitespaceSplit = whitespaceSplit;
        this.replacement = replacement;
        this.prependScheme = prependScheme;
        this.split = split;
    }

    /**
     * The words of one normalized segment; {@code atTextStart} says whether the segment begins the text (the
     * {@code FIRST} scheme prefixes only there).
     */
    List<String> words(String segment, boolean atTextStart) {
        List<String> out = new ArrayList<>();
        List<String> chunks = whitespaceSplit ? splitOnWhitespace(segment) : List.of(segment);
        for (int c = 0; c < chunks.size(); c++) {
            String word = chunks.get(c).replace(' ', replacement);
            if (word.isEmpty()) {
                continue;
            }
            boolean prepend = prependScheme == PrependScheme.ALWAYS
                    || (prependScheme == PrependScheme.FIRST && atTextStart && c == 0);
            if (prepend && word.charAt(0) != replacement) {
                word = replacement + word;
            }
            if (split) {
                cutBeforeReplacement(word, out);
            } else {
                out.add(word);
            }
        }
        return out;
    }

    private void cutBeforeReplacement(String word, List<String> out) {
        int start = 0;
        for (int i = 1; i < word.length(); i++) {
            if (word.charAt(i) == replacement) {
                out.add(word.substring(start, i));
                start = i;
            }
        }
        out.add(word.substring(start));
    }

    private static List<String> splitOnWhitespace(String s) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isWhiteSpace(s.charAt(i))) {
                if (start >= 0) {
                    words.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(s.substring(start));
        }
        return words;
    }

    /** The Unicode {@code White_Space} property (Rust's {@code char::is_whitespace}, which WhitespaceSplit uses). */
    static boolean isWhiteSpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || c == ' ' || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }
}
