package jsora.tensor;

/**
 * Symmetric int8 weight quantization (as in LLM.int8's absmax scheme, without outlier columns): each block of
 * consecutive elements along a row's last axis gets one float32 scale {@code s = max|w| / 127}, each element
 * {@code q = round(w / s)} clamped to [-127, 127] (-128 is never used, so the range is symmetric), and the weight is
 * read back as {@code q · s} in float32. The error per element is at most {@code s / 2} (plus float32 rounding).
 */
public final class Int8 {
    /** One scale per whole row (per output channel of a Linear weight [out, in]). */
    public static final int PER_ROW = Integer.MAX_VALUE;
    /**
     * The layout {@code jsora convert --dtype int8} and {@link WeightTensor#convert} use, measured against per-row
     * scales and blocks of 32 (BENCHMARKS.md, "int8 weights"). On the T5 golden case the three give the same output
     * error (its rows are 64 or 96 long, so blocks of 64 are nearly rows there). At the real K = 4096 the largest
     * |w| of a whole row is further out than that of 64 elements, so per-row steps are coarser: the weights' relative
     * RMS error is 8.7e-3 per row, 5.9e-3 in blocks of 64, 5.4e-3 in blocks of 32 (Gaussian rows), and with one
     * outlier (×20) per thousand weights 5.9e-2, 1.1e-2 and 8.1e-3: an outlier coarsens only its own block. Blocks
     * of 64 cost 1/16 byte of scale per weight (6 % over per-row, half of what blocks of 32 cost), and GEMM packing
     * runs at the same speed for all three.
     */
    public static final int BLOCK = 64;

    private static final float QMAX = 127f;

    private Int8() {
    }

    /** A block size as users write it: a positive number, or {@code row} for {@link #PER_ROW}. */
    public static int parseBlock(String option, String text) {
        if (text.equalsIgnoreCase("row")) {
            return PER_ROW;
        }
        try {
            int b = Integer.parseInt(text);
            if (b >= 1) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is neither a positive number nor 'row'");
    }

    /** Scales per row of {@code k} elements when each covers {@code block} of them. */
    public static int blocksPerRow(int k, int block) {
        return k == 0 ? 0 : (k - 1) / block + 1;
    }

    /**
     * The elements per scale when a row of {@code k} is cut into ⌈k / block⌉ blocks of near-equal length: at most
     * {@code block}, and {@code block} itself when it divides k. Cutting equally makes the layout a function of the
     * number of scales per row alone, which is all a file stores ({@link #blockForScales}).
     */
    public static int rowBlock(int k, int block) {
        return k == 0 ? 1 : blockForScales(k, blocksPerRow(k, Math.min(block, k)));
    }

    /** The elements per scale of a row of {@code k} with {@code scales} scales: ⌈k / scales⌉. */
    public static int blockForScales(int k, int scales) {
        return (k + scales - 1) / scales;
    }

    /**
     * Quantizes a float32 tensor (rank ≥ 1) with one scale per block of at most {@code block} elements of each row
     * ({@link #rowBlock}; {@link #PER_ROW}: one per row).
     */
    public static WeightTensor quantize(Tensor t, int block) {
        int[] shape = t.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("int8 quantization needs at least one axis");
        }
        float[] v = t.toArray();
        int k = shape[shape.length - 1];
        int rows = k == 0 ? 0 : v.length / k;
        int blk = rowBlock(k, block);
        int per = blocksPerRow(k, blk);
        byte[] q = new byte[v.length];
        float[] scales = new float[rows * per];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < per; b++) {
                int from = r * k + b * blk;
                scales[r * per + b] = quantizeBlock(v, from, Math.min(from + blk, (r + 1) * k), q);
            }
        }
        return WeightTensor.ofInt8(q, scales, blk, shape);
    }

    /** Quantizes {@code v[from .. to]} into {@code q[from .. to]}; returns the block's scale. */
    private static float quantizeBlock(float[] v, int from, int to, byte[] q) {
        float max = 0f;
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("int8 quantization: value " + v[i] + " at element " + i);
            }
            max = Math.max(max, Math.abs(v[i]));
        }
        float scale = max / QMAX;
        for (int i = from; i < to; i++) {
            q[i] = scale == 0f ? 0 : (byte) Math.max(-QMAX, Math.min(QMAX, Math.round(v[i] / scale)));
        }
        return scale;
    }
}
