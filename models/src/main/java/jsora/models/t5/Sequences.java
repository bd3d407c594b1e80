package jsora.models.t5;

import java.util.HashMap;
import java.util.Map;
import jsora.tensor.Tensor;

/**
 * How the rows of a token matrix [T, d_model] group into sequences that attend only within themselves, with what
 * each sequence adds to its attention logits. Two layouts:
 * <ul>
 * <li>{@link #padded}: B sequences of the same length L (T = B·L), as HF runs them: padded keys get the additive mask
 * {@code (1 − mask)·finfo(float32).min}, padded queries are computed like the others.</li>
 * <li>{@link #packed}: only the real tokens of each prompt, one prompt after another, no mask at all. A padded key
 * contributes exp(finfo.min − max) = 0 to a real query's softmax, so the real positions come out the same.</li>
 * </ul>
 */
public final class Sequences {
    /** float32's lowest value, {@code torch.finfo(torch.float32).min}: HF's additive mask for padded keys. */
    public static final float MASKED = -Float.MAX_VALUE;

    private final int[] starts;
    private final int[] lengths;
    private final Tensor[] bias;
    private final Tensor[] keyMask;
    private final int tokens;

    private Sequences(int[] starts, int[] lengths, Tensor[] bias, Tensor[] keyMask, int tokens) {
        this.starts = starts;
        this.lengths = lengths;
        this.bias = bias;
        this.keyMask = keyMask;
        this.tokens = tokens;
    }

    /** B = mask.length sequences of length L = mask[b].length, padded keys masked additively. */
    public static Sequences padded(int[][] mask, RelativePositionBias positions) {
        int b = mask.length;
        int l = mask[0].length;
        Tensor shared = positions.forward(l);
        int[] starts = new int[b];
        int[] lengths = new int[b];
        Tensor[] bias = new Tensor[b];
        Tensor[] keyMask = new Tensor[b];
        Tensor extended = extendedMask(mask);
        for (int i = 0; i < b; i++) {
            starts[i] = i * l;
            lengths[i] = l;
            bias[i] = shared;
            keyMask[i] = extended.slice(i, i + 1).reshape(1, l);
        }
        return new Sequences(starts, lengths, bias, keyMask, b * l);
    }

    /** One sequence per entry of {@code lengths}, one after another, with no mask. */
    public static Sequences packed(int[] lengths, RelativePositionBias positions) {
        int n = lengths.length;
        int[] starts = new int[n];
        Tensor[] bias = new Tensor[n];
        Map<Integer, Tensor> byLength = new HashMap<>();
        int t = 0;
        for (int i = 0; i < n; i++) {
            if (lengths[i] <= 0) {
                throw new IllegalArgumentException("sequence " + i + " has no tokens");
            }
            starts[i] = t;
            t += lengths[i];
            bias[i] = byLength.computeIfAbsent(lengths[i], positions::forward);
        }
        return new Sequences(starts, lengths.clone(), bias, new Tensor[n], t);
    }

    /**
     * HF's {@code get_extended_attention_mask} for an encoder, squeezed to [B, L]: 0 where mask is 1, float32's
     * lowest value where it is 0.
     */
    public static Tensor extendedMask(int[][] mask) {
        int l = mask[0].length;
        Tensor m = Tensor.zeros(mask.length, l);
        for (int b = 0; b < mask.length; b++) {
            if (mask[b].length != l) {
                throw new IllegalArgumentException("attention mask rows differ in length: " + l + " and "
                        + mask[b].length);
            }
            for (int k = 0; k < l; k++) {
                m.data()[b * l + k] = (1 - mask[b][k]) * MASKED;
            }
        }
        return m;
    }

    public int count() {
        return starts.length;
    }

    /** Total rows of the token matrix. */
    public int tokens() {
        return tokens;
    }

    public int start(int i) {
        return starts[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** The position bias of sequence {@code i} by offset, [heads, 2L − 1] ({@link RelativePositionBias#forward}). */
    public Tensor bias(int i) {
        return bias[i];
    }

    /** The additive key mask [1, L] of sequence {@code i}, or null. */
    public Tensor keyMask(int i) {
        return keyMask[i];
    }
}
