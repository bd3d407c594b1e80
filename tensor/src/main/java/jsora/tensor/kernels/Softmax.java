package jsora.tensor.kernels;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/** Softmax over the last axis, max-subtracted so large logits give no Inf or NaN. {@code out} may be {@code x}. */
public final class Softmax {
    private Softmax() {
    }

    public static void lastAxis(Tensor x, Tensor out) {
        int c = x.dim(-1);
        int rows = x.size() / c;
        float[] xa = x.data();
        float[] oa = out.data();
        Parallel.forEach(rows, r -> {
            int xo = x.offset() + r * c;
            int oo = out.offset() + r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < c; i++) {
                max = Math.max(max, xa[xo + i]);
            }
            float sum = 0f;
            for (int i = 0; i < c; i++) {
                float e = (float) Math.exp(xa[xo + i] - max);
                oa[oo + i] = e;
                sum += e;
            }
            for (int i = 0; i < c; i++) {
                oa[oo + i] /= sum;
            }
        });
    }
}
