package jsora.models.t5;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Unigram language model of sentencepiece / Hugging Face {@code tokenizers}: every piece has a log-probability and
 * a word is cut into the sequence of pieces with the highest total (Viterbi over the character lattice, as
 * {@code Unigram::encode_optimized} does it). A character that no single piece covers becomes an unknown node scored
 * {@code min(score) - 10}; consecutive unknown nodes are fused into one token, whose id is looked up by its text
 * (so, in practice, the unknown id). With byte fallback (not used by T5) an unknown token becomes the
 * {@code <0xXX>} pieces of its UTF-8 bytes when all of them exist.
 */
public final class UnigramModel {
    /** sentencepiece's {@code kUnkPenalty}. */
    private static final double UNKNOWN_PENALTY = 10.0;

    private final String[] pieces;
    private final double[] scores;
    private final Map<String, Integer> ids;
    private final int unknownId;
    private final double unknownScore;
    private final int maxPieceChars;
    private final boolean byteFallback;

    public UnigramModel(List<String> pieces, double[] scores, int unknownId, boolean byteFallback) {
        if (pieces.size() != scores.length) {
            throw new IllegalArgumentException(pieces.size() + " pieces but " + scores.length + " scores");
        }
        if (unknownId < 0 || unknownId >= pieces.size()) {
            throw new IllegalArgumentException("unknown-token id " + unknownId + " outside a vocabulary of "
                    + pieces.size());
        }
        this.pieces = pieces.toArray(new String[0]);
        this.scores = scores.clone();
        this.ids = new HashMap<>(pieces.size() * 2);
        double min = Double.POSITIVE_INFINITY;
        int longest = 1;
        for (int i = 0; i < this.pieces.length; i++) {
            ids.putIfAbsent(this.pieces[i], i);
            min = Math.min(min, scores[i]);
            longest = Math.max(longest, this.pieces[i].length());
        }
        this.unknownId = unknownId;
        this.unknownScore = min - UNKNOWN_PENALTY;
        this.maxPieceChars = longest;
        this.byteFallback = byteFallback;
    }

    public int size() {
        return pieces.length;
    }

    public String piece(int id) {
        return pieces[id];
    }

    /** The id of {@code piece}, or -1. */
    public int id(String piece) {
        return ids.getOrDefault(piece, -1);
    }

    /** Appends the ids of the best segmentation of {@code word} (one pre-tokenized word, e.g. {@code ▁cat}). */
    public void encode(String word, List<Integer> out) {
        int n = word.length();
        if (n == 0) {
            return;
        }
        // bestScore[e] / bestStart[e] / bestId[e]: the best path that ends at char index e (bestStart -1 = none yet)
        double[] bestScore = new double[n + 1];
        int[] bestStart = new int[n + 1];
        int[] bestId = new int[n + 1];
        Arrays.fill(bestStart, -1);
        for (int start = 0; start < n; start = word.offsetByCodePoints(start, 1)) {
            double before = bestScore[start];
            int charLen = Character.charCount(word.codePointAt(start));
            boolean singleCharPiece = false;
            int end = start;
            while (end < n) {
                end += Character.charCount(word.codePointAt(end));
                if (end - start > maxPieceChars) {
                    break;
                }
                Integer id = ids.get(word.substring(start, end));
                if (id != null) {
                    relax(bestScore, bestStart, bestId, start, end, id, before + scores[id]);
                    singleCharPiece |= end - start == charLen;
                }
            }
            if (!singleCharPiece) {
                relax(bestScore, bestStart, bestId, start, start + charLen, unknownId, before + unknownScore);
            }
        }
        backtrack(word, bestStart, bestId, out);
    }

    private static void relax(double[] bestScore, int[] bestStart, int[] bestId, int start, int end, int id,
            double score) {
        if (bestStart[end] < 0 || score > bestScore[end]) {
            bestScore[end] = score;
            bestStart[end] = start;
            bestId[end] = id;
        }
    }

    /** Walks the best path back from the end, fusing runs of unknown nodes into one token. */
    private void backtrack(String word, int[] bestStart, int[] bestId, List<Integer> out) {
        List<Integer> reversed = new ArrayList<>();
        int end = word.length();
        int unknownRunEnd = -1;
        while (end > 0) {
            int start = bestStart[end];
            boolean unknown = bestId[end] == unknownId;
            if (unknown && unknownRunEnd < 0) {
                unknownRunEnd = end;
            }
            if (!unknown) {
                reversed.add(bestId[end]);
            }
            end = start;
            boolean runEnds = unknownRunEnd >= 0 && (end == 0 || bestId[end] != unknownId);
            if (runEnds) {
                addUnknownReversed(word.substring(end, unknownRunEnd), reversed);
                unknownRunEnd = -1;
            }
        }
        for (int i = reversed.size() - 1; i >= 0; i--) {
            out.add(reversed.get(i));
        }
    }

    private void addUnknownReversed(String text, List<Integer> reversed) {
        Integer id = ids.get(text);
        if (id != null) {
            reversed.add(id);
            return;
        }
        if (byteFallback) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int[] byteIds = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                byteIds[i] = id(String.format("<0x%02X>", bytes[i] & 0xFF));
                if (byteIds[i] < 0) {
                    reversed.add(unknownId);
                    return;
                }
            }
            for (int i = byteIds.length - 1; i >= 0; i--) {
                reversed.add(byteIds[i]);
            }
            return;
        }
        reversed.add(unknownId);
    }
}
