package jsora.models.t5;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds the added special tokens ({@code <pad>}, {@code </s>}, {@code <extra_id_N>}...) in the raw text before any
 * normalization, as Hugging Face's {@code AddedVocabulary} does: leftmost match first, the longest token when several
 * start at the same place. The text between two matches is a segment the normal pipeline handles on its own.
 */
final class SpecialTokenSplitter {
    /** Either a piece of ordinary text ({@code id < 0}) or one special token. */
    record Part(String text, int id, int offset) {
        boolean isSpecial() {
            return id >= 0;
        }
    }

    private final List<Map.Entry<String, Integer>> tokens;

    SpecialTokenSplitter(Map<String, Integer> tokens) {
        this.tokens = new ArrayList<>(tokens.entrySet());
        this.tokens.removeIf(e -> e.getKey().isEmpty());
        this.tokens.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> -e.getKey().length())
                .thenComparing(Map.Entry::getKey));
    }

    List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        int segmentStart = 0;
        int i = 0;
        while (i < text.length()) {
            Map.Entry<String, Integer> hit = tokenAt(text, i);
            if (hit == null) {
                i++;
                continue;
            }
            if (i > segmentStart) {
                parts.add(new Part(text.substring(segmentStart, i), -1, segmentStart));
            }
            parts.add(new Part(hit.getKey(), hit.getValue(), i));
            i += hit.getKey().length();
            segmentStart = i;
        }
        if (segmentStart < text.length()) {
            parts.add(new Part(text.substring(segmentStart), -1, segmentStart));
        }
        return parts;
    }

    private Map.Entry<String, Integer> tokenAt(String text, int i) {
        for (Map.Entry<String, Integer> t : tokens) {
            if (text.startsWith(t.getKey(), i)) {
                return t;
            }
        }
        return null;
    }
}
