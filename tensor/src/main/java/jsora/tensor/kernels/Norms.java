package jsora.tensor.kernels;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/** LayerNorm, RMSNorm and GroupNorm. {@code out} may be {@code x}. */
public final class Norms {
    private Norms() {
    }

    /** torch.nn.LayerNorm over the last axis; gamma/beta [C] or null (no affine). */
    public static void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        int c = x.dim(-1);
        int rows = x.size() / c;
        float[] xa = x.data();
        float[] oa = out.data();
        Parallel.forEach(rows, r -> {
            int xo = x.offset() + r * c;
            int oo = out.offset() + r * c;
            float mean = 0f;
            for (int i = 0; i < c; i++) {
                mean += xa[xo + i];
            }
            mean /= c;
            float var = 0f;
            for (int i = 0; i < c; i++) {
                float dlt = xa[xo + i] - mean;
                var += dlt * dlt;
            }
            var /= c;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            for (int i = 0; i < c; i++) {
                float v = (xa[xo + i] - mean) * inv;
                if (gamma != null) {
                    v *= gamma.data()[gamma.offset() + i];
                }
                if (beta != null) {
                    v += beta.data()[beta.offset() + i];
                }
                oa[oo + i] = v;
            }
        });
    }

    /** T5's RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · weight (no mean subtraction). */
    public static void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        int c = x.dim(-1);
        int rows = x.size() / c;
        float[] xa = x.data();
        float[] oa = out.data();
        Parallel.forEach(rows, r -> {
            int xo = x.offset() + r * c;
            int oo = out.offset() + r * c;
            float ss = 0f;
            for (int i = 0; i < c; i++) {
                ss += xa[xo + i] * xa[xo + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / c + eps));
            for (int i = 0; i < c; i++) {
                oa[oo + i] = xa[xo + i] * inv * (weight == null ? 1f : weight.data()[weight.offset() + i]);
            }
        });
    }

    /** torch.nn.GroupNorm over x[N, C, *spatial]; gamma/beta [C] or null. */
    public static void groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps, Tensor out) {
        int n = x.dim(0);
        int c = x.dim(1);
        int spatial = x.size() / (n * c);
        int cpg = c / groups;
        float[] xa = x.data();
        float[] oa = out.data();
        Parallel.forEach(n * groups, r -> {
            int start = r * cpg * spatial;
            int len = cpg * spatial;
            double mean = 0;
            for (int i = 0; i < len; i++) {
                mean += xa[x.offset() + start + i];
            }
            mean /= len;
            double var = 0;
            for (int i = 0; i < len; i++) {
                double dlt = xa[x.offset() + start + i] - mean;
                var += dlt * dlt;
            }
            var /= len;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            float m = (float) mean;
            int g = r % groups;
            for (int ch = 0; ch < cpg; ch++) {
                int cc = g * cpg + ch;
                float ga = gamma == null ? 1f : gamma.data()[gamma.offset() + cc];
                float be = beta == null ? 0f : beta.data()[beta.offset() + cc];
                for (int s = 0; s < spatial; s++) {
                    int i = start + ch * spatial + s;
                    oa[out.offset() + i] = (xa[x.offset() + i] - m) * inv * ga + be;
                }
            }
        });
    }
}
