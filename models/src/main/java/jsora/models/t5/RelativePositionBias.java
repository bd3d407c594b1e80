package jsora.models.t5;

import jsora.tensor.Tensor;

/**
 * T5's relative position bias: a learned scalar per head for each bucket of the relative position {@code key − query}
 * (HF {@code T5Attention._relative_position_bucket} and {@code compute_bias}). Only block 0 owns the table; the
 * encoder computes the bias once and every block adds it to its (unscaled) attention logits.
 */
public final class RelativePositionBias {
    private final Tensor table;
    private final int numBuckets;
    private final int maxDistance;

    /** {@code table} [numBuckets, heads]: {@code relative_attention_bias.weight}. */
    public RelativePositionBias(Tensor table, int maxDistance) {
        this.table = table;
        this.numBuckets = table.dim(0);
        this.maxDistance = maxDistance;
    }

    public int heads() {
        return table.dim(1);
    }

    /**
     * The bidirectional bucket of relative position {@code n = key − query}: half of the buckets per sign (positive
     * positions in the upper half); within a half, distances below half of it get one bucket each, larger ones share
     * buckets logarithmically up to {@code maxDistance}, beyond which they saturate. The log term is evaluated in
     * float32 and truncated, as torch does.
     */
    public static int bucket(int n, int numBuckets, int maxDistance) {
        int half = numBuckets / 2;
        int base = n > 0 ? half : 0;
        int a = Math.abs(n);
        int maxExact = half / 2;
        if (a < maxExact) {
            return base + a;
        }
        float logRatio = (float) Math.log((float) a / maxExact);
        float scaled = logRatio / (float) Math.log((double) maxDistance / maxExact) * (half - maxExact);
        return base + Math.min(half - 1, maxExact + (int) scaled);
    }

    /** bucket[q][k] for a sequence of {@code length} tokens, as [length, length]. */
    public int[][] buckets(int length) {
        int[][] b = new int[length][length];
        for (int q = 0; q < length; q++) {
            for (int k = 0; k < length; k++) {
                b[q][k] = bucket(k - q, numBuckets, maxDistance);
            }
        }
        return b;
    }

    /**
     * The bias of a sequence of {@code length} tokens by offset, as {@code Attention.Options.relativeBias} takes it:
     * [heads, 2·length − 1], {@code table[bucket(k − q), h]} at [h, q − k + length − 1]. (HF's {@code compute_bias}
     * spells it out as [1, heads, length, length]: the value at [h, q, k] is this one.)
     */
    public Tensor forward(int length) {
        int heads = heads();
        int offsets = 2 * length - 1;
        Tensor out = Tensor.zeros(heads, offsets);
        float[] o = out.data();
        float[] t = table.data();
        for (int n = 0; n < offsets; n++) {
            int row = table.offset() + bucket(length - 1 - n, numBuckets, maxDistance) * heads;
            for (int h = 0; h < heads; h++) {
                o[h * offsets + n] = t[row + h];
            }
        }
        return out;
    }
}
