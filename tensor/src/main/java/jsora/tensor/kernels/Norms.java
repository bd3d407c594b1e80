package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * LayerNorm, RMSNorm and GroupNorm. {@code out} may be {@code x}. Statistics are summed in float lanes over blocks
 * of 1024 values and the blocks in double (two passes: mean, then squared deviations, each taken from a nearby value),
 * so long rows, large groups and large common offsets keep full float accuracy.
 */
public final class Norms {
    private Norms() {
    }

    /** torch.nn.LayerNorm over the last axis; gamma/beta [C] or null (no affine). */
    public static void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        int c = x.dim(-1);
        checkRows("layerNorm", x, out, c, gamma, beta);
        int rows = x.size() / c;
        Parallel.forRange(rows, Math.max(1, 8192 / c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xo = x.offset() + r * c;
                double mean = mean(x.data(), xo, c);
                double var = RowOps.sum(x.data(), xo, c, (float) mean, true) / c;
                float inv = (float) (1.0 / Math.sqrt(var + eps));
                normalize(x.data(), xo, out.data(), out.offset() + r * c, c, mean, inv, gamma, beta);
            }
        });
    }

    /** T5's RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · weight (no mean subtraction); weight may be null. */
    public static void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        int c = x.dim(-1);
        checkRows("rmsNorm", x, out, c, weight, null);
        int rows = x.size() / c;
        Parallel.forRange(rows, Math.max(1, 8192 / c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                rmsRow(x.data(), x.offset() + r * c, out.data(), out.offset() + r * c, c, weight, eps);
            }
        });
    }

    /**
     * RMSNorm in place over every row of D of a head view (qk-norm: each head's query or key, read where the
     * projection wrote it); weight [D] or null.
     */
    public static void rmsNorm(HeadView x, Tensor weight, float eps) {
        int d = x.dim;
        checkParam("rmsNorm", weight, d);
        Parallel.forRange(x.rows(), Math.max(1, 8192 / Math.max(1, d)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int at = x.rowInMemoryOrder(r);
                rmsRow(x.data, at, x.data, at, d, weight, eps);
            }
        });
    }

    /** One row of RMSNorm: o = x / sqrt(mean(x²) + eps) · weight over n values. */
    private static void rmsRow(float[] x, int xo, float[] o, int oo, int n, Tensor weight, float eps) {
        double ms = RowOps.sum(x, xo, n, 0f, true) / n;
        float inv = (float) (1.0 / Math.sqrt(ms + eps));
        normalize(x, xo, o, oo, n, 0.0, inv, weight, null);
    }

    /** torch.nn.GroupNorm over x[N, C, *spatial]; gamma/beta [C] or null. */
    public static void groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps,
            Tensor out) {
        int n = x.dim(0);
        int c = x.dim(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("groupNorm: " + c + " channels do not split into " + groups + " groups");
        }
        checkSize("groupNorm", x, out);
        checkParam("groupNorm", gamma, c);
        checkParam("groupNorm", beta, c);
        int spatial = x.size() / Math.max(1, n * c);
        int cpg = c / groups;
        int len = cpg * spatial;
        Parallel.forEach(n * groups, r -> {
            int start = r * len;
            double mean = mean(x.data(), x.offset() + start, len);
            double var = RowOps.sum(x.data(), x.offset() + start, len, (float) mean, true) / len;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            int g = r % groups;
            for (int ch = 0; ch < cpg; ch++) {
                int cc = g * cpg + ch;
                float ga = gamma == null ? 1f : gamma.data()[gamma.offset() + cc];
                float be = beta == null ? 0f : beta.data()[beta.offset() + cc];
                int at = start + ch * spatial;
                channel(x.data(), x.offset() + at, out.data(), out.offset() + at, spatial, mean, inv * ga, be);
            }
        });
    }

    /** Mean of a[off..off+n), summed as deviations from a[off] so a large common offset costs no accuracy. */
    private static double mean(float[] a, int off, int n) {
        float pivot = a[off];
        return pivot + RowOps.sum(a, off, n, pivot, false) / n;
    }

    /**
     * o = (x − mean)·inv·gamma + beta over one row; gamma/beta indexed by position in the row, either may be null.
     * The mean is subtracted as a float plus the float of its remainder, so its rounding does not show when the
     * deviations are small next to the mean.
     */
    private static void normalize(float[] x, int xo, float[] o, int oo, int n, double meanD,
            float inv, Tensor gamma, Tensor beta) {
        float mean = (float) meanD;
        float meanLo = (float) (meanD - mean);
        int lanes = SPECIES.length();
        float[] ga = gamma == null ? null : gamma.data();
        float[] ba = beta == null ? null : beta.data();
        int go = gamma == null ? 0 : gamma.offset();
        int bo = beta == null ? 0 : beta.offset();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i).sub(mean).sub(meanLo).mul(inv);
            if (ga != null) {
                v = v.mul(FloatVector.fromArray(SPECIES, ga, go + i));
            }
            if (ba != null) {
                v = v.add(FloatVector.fromArray(SPECIES, ba, bo + i));
            }
            v.intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float v = (x[xo + i] - mean - meanLo) * inv;
            if (ga != null) {
                v *= ga[go + i];
            }
            if (ba != null) {
                v += ba[bo + i];
            }
            o[oo + i] = v;
        }
    }

    /** o = (x − mean)·a + b over one channel of a group, the mean subtracted as in {@link #normalize}. */
    private static void channel(float[] x, int xo, float[] o, int oo, int n, double meanD,
            float a, float b) {
        float mean = (float) meanD;
        float meanLo = (float) (meanD - mean);
        int lanes = SPECIES.length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector.fromArray(SPECIES, x, xo + i).sub(mean).sub(meanLo).fma(a, b).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = Math.fma(x[xo + i] - mean - meanLo, a, b);
        }
    }

    private static void checkRows(String op, Tensor x, Tensor out, int c, Tensor p1, Tensor p2) {
        checkSize(op, x, out);
        checkParam(op, p1, c);
        checkParam(op, p2, c);
    }

    private static void checkSize(String op, Tensor x, Tensor out) {
        if (out.size() != x.size()) {
            throw new IllegalArgumentException(op + ": output " + out + " does not match input " + x);
        }
    }

    private static void checkParam(String op, Tensor p, int c) {
        if (p != null && p.size() != c) {
            throw new IllegalArgumentException(op + ": parameter " + p + " should have " + c + " elements");
        }
    }
}
