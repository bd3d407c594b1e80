package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Softmax over the last axis, max-subtracted so large logits give no Inf or NaN. {@code out} may be {@code x}.
 * A row that is −∞ everywhere has no defined softmax (PyTorch gives NaN); here it gives zeros, the same rule as a
 * fully masked attention row.
 */
public final class Softmax {
    private Softmax() {
    }


    public static void lastAxis(Tensor x, Tensor out) {
        if (out.size() != x.size()) {
            throw new IllegalArgumentException("softmax: output " + out + " does not match input " + x);
        }
        int c = x.dim(-1);
        if (c == 0) {
            return;
        }
        int rows = x.size() / c;
        float[] xa = x.data();
        float[] oa = out.data();
        Parallel.forRange(rows, Math.max(1, 4096 / c), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                row(xa, x.offset() + r * c, oa, out.offset() + r * c, c);
            }
        });
    }

    /** Softmax of {@code a[ao..ao+n)} into {@code o[oo..]} (may be the same place). */
    static void row(float[] a, int ao, float[] o, int oo, int n) {
        float max = RowOps.max(a, ao, n);
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(o, oo, oo + n, 0f);
            return;
        }
        int lanes = SPECIES.length();
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector e = VMath.exp(FloatVector.fromArray(SPECIES, a, ao + i).sub(max));
            e.intoArray(o, oo + i);
            sum = sum.add(e);
        }
        if (i < n) {
            FloatVector e = VMath.exp(VMath.loadPartial(a, ao + i, n - i, Float.NEGATIVE_INFINITY).sub(max));
            VMath.storePartial(e, o, oo + i, n - i);
            sum = sum.add(e);
        }
        float[] buf = new float[lanes];
        sum.intoArray(buf, 0);
        float inv = 1f / RowOps.sumLanes(buf, lanes);
        RowOps.scale(o, oo, n, inv);
    }
}
