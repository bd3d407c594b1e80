package jsora.models.sampler;

import jsora.tensor.Tensor;

/**
 * LPL, Linear Proportional Leap (On-device Sora, arXiv 2502.04363; {@code compute_cosine_simularity} in
 * {@code Modded_Open_Sora/opensora/schedulers/rf/__init__.py}). After each step it compares the guided velocity with
 * the previous step's on one slice (batch 0, channel 0, frame 0: an H×W map) by the mean over rows of the per-row
 * cosine similarity. From step {@code minimumSteps} on, a similarity that beats the best so far by more than
 * {@code cosTolerance} renews the patience; anything else uses one unit of it. When the patience reaches 0 the
 * sampler leaps: it takes {@code dt = t_i} (straight to t = 0) along the current velocity and stops.
 * <p>
 * One instance serves one sampling run (the reference keeps this state on the scheduler across runs; the goldens
 * and this port start each run afresh).
 */
public final class LinearProportionalLeap {
    /** The reference's hard-coded defaults. */
    public static final int DEFAULT_MINIMUM_STEPS = 14;
    public static final int DEFAULT_PATIENCE = 3;
    public static final float DEFAULT_COS_TOLERANCE = 1e-3f;

    private final int minimumSteps;
    private final int patience;
    private final float cosTolerance;

    private float[] previous;
    private float best;
    private int remaining;
    private float lastCos = Float.NaN;

    /**
     * @param minimumSteps first step index at which similarities count (reference: 14)
     * @param patience     steps without improvement before leaping ({@code max_tolerance_n}, reference: 3)
     * @param cosTolerance how much a similarity must beat the best to count as improvement (reference: 1e-3)
     */
    public LinearProportionalLeap(int minimumSteps, int patience, float cosTolerance) {
        if (minimumSteps < 1 || patience < 1 || !(cosTolerance >= 0)) {
            throw new IllegalArgumentException("LPL needs minimum steps >= 1, patience >= 1 and tolerance >= 0, got "
                    + minimumSteps + ", " + patience + ", " + cosTolerance);
        }
        this.minimumSteps = minimumSteps;
        this.patience = patience;
        this.cosTolerance = cosTolerance;
        this.remaining = patience;
    }

    public static LinearProportionalLeap withDefaults() {
        return new LinearProportionalLeap(DEFAULT_MINIMUM_STEPS, DEFAULT_PATIENCE, DEFAULT_COS_TOLERANCE);
    }

    public int minimumSteps() {
        return minimumSteps;
    }

    public int patience() {
        return patience;
    }

    public float cosTolerance() {
        return cosTolerance;
    }

    /** The similarity to the previous step's velocity measured by the last {@link #observe}; NaN at the first step. */
    public float lastCos() {
        return lastCos;
    }

    /**
     * Records step {@code step}'s guided velocity {@code v} [B, C, T, H, W] and says whether to leap now.
     */
    public boolean observe(Tensor v, int step) {
        float[] current = slice(v);
        boolean leap = false;
        lastCos = Float.NaN;
        if (previous != null) {
            lastCos = meanRowCosine(current, previous, v.dim(3), v.dim(4));
            if (step >= minimumSteps) {
                if (lastCos > best + cosTolerance) {
                    best = lastCos;
                    remaining = patience;
                } else {
                    remaining--;
                }
            }
            if (remaining == 0) {
                remaining = patience;
                best = 0;
                leap = true;
            }
        }
        previous = current;
        return leap;
    }

    /** v[0, 0, 0] as an H·W array. */
    private static float[] slice(Tensor v) {
        if (v.rank() != 5) {
            throw new IllegalArgumentException("velocity must be [B, C, T, H, W], got " + v);
        }
        int hw = v.dim(3) * v.dim(4);
        float[] s = new float[hw];
        System.arraycopy(v.data(), v.offset(), s, 0, hw);
        return s;
    }

    /**
     * torch.nn.functional.cosine_similarity(a, b, dim=1).mean() for [H, W] maps: per row, a·b / (max(|a|, eps)·
     * max(|b|, eps)) with eps = 1e-8, then the mean over rows (accumulated in double, returned as float32).
     */
    static float meanRowCosine(float[] a, float[] b, int rows, int cols) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int c = 0; c < cols; c++) {
                double x = a[r * cols + c];
                double y = b[r * cols + c];
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            sum += dot / (Math.max(Math.sqrt(na), 1e-8) * Math.max(Math.sqrt(nb), 1e-8));
        }
        return (float) (sum / rows);
    }
}
