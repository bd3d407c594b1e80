package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Rotary position embedding in rotary_embedding_torch's convention: features are taken in adjacent pairs
 * (x[2i], x[2i+1]) and rotated by angle[pos, 2i] (its {@code rotate_half} works on interleaved pairs, and its
 * frequencies are repeated twice so angle[pos, 2i] == angle[pos, 2i+1]). Vectorised as
 * x·cos + swapPairs(x)·(−sin, +sin, …), in plain loops on SVE ({@link JitSupport}); an odd last feature is left
 * as it is.
 */
public final class Rope {
    private Rope() {
    }

    /** In place on every row (b, h, l) of x, rotated by row l of the tables cos, sin [L, D]. */
    public static void apply(HeadView x, Tensor cos, Tensor sin) {
        int d = x.dim;
        int l = x.length;
        if (cos.size() != l * d || sin.size() != l * d) {
            throw new IllegalArgumentException("rope: tables " + cos + ", " + sin + " do not match " + x);
        }
        float[] xa = x.data;
        float[] ca = cos.data();
        float[] sa = sin.data();
        VectorShuffle<Float> swap = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
        FloatVector sign = FloatVector.fromArray(SPECIES, alternatingSigns(SPECIES.length()), 0);
        int lanes = SPECIES.length();
        Parallel.forRange(x.rows(), Math.max(1, 4096 / Math.max(1, d)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int pos = x.positionInMemoryOrder(r);
                int base = x.rowInMemoryOrder(r);
                int t = cos.offset() + pos * d;
                int u = sin.offset() + pos * d;
                int i = 0;
                // on SVE (JDK 17) the pair swap would run per lane in Java: the plain loop below does all there
                for (; i <= d - lanes && !JitSupport.SVE; i += lanes) {
                    FloatVector v = FloatVector.fromArray(SPECIES, xa, base + i);
                    FloatVector s = FloatVector.fromArray(SPECIES, sa, u + i).mul(sign);
                    v.mul(FloatVector.fromArray(SPECIES, ca, t + i)).add(v.rearrange(swap).mul(s))
                            .intoArray(xa, base + i);
                }
                for (; i + 1 < d; i += 2) {
                    float x0 = xa[base + i];
                    float x1 = xa[base + i + 1];
                    xa[base + i] = x0 * ca[t + i] + x1 * -sa[u + i];
                    xa[base + i + 1] = x1 * ca[t + i + 1] + x0 * sa[u + i + 1];
                }
            }
        });
    }

    private static float[] alternatingSigns(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (i & 1) == 0 ? -1f : 1f;
        }
        return s;
    }
}
