package jsora.tensor.kernels;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/**
 * Scaled dot-product attention, {@code softmax(q·kᵀ·scale + bias + mask)·v}, over [B, H, L, D] tensors.
 */
public final class Attention {
    private Attention() {
    }

    /** What to add to the logits and how to scale them. */
    public static final class Options {
        /** Logit scale; 1/√D by default. T5 uses 1. NaN means 1/√D. */
        public float scale = Float.NaN;
        /** Additive bias [H, Lq, Lk] shared over the batch (T5's position bias), or null. */
        public Tensor bias;
        /** Additive mask [B, Lk] over keys, or null. */
        public Tensor keyMask;
        /** Per-batch number of valid keys (keys at or past it are ignored), or null. */
        public int[] keyLengths;

        public Options scale(float s) {
            this.scale = s;
            return this;
        }

        public Options bias(Tensor b) {
            this.bias = b;
            return this;
        }

        public Options keyMask(Tensor m) {
            this.keyMask = m;
            return this;
        }

        public Options keyLengths(int[] l) {
            this.keyLengths = l;
            return this;
        }
    }

    /**
     * out[B, H, Lq, Dv] = attention(q[B, H, Lq, D], k[B, H, Lk, D], v[B, H, Lk, Dv]).
     * A query row whose keys are all masked (key length 0) yields zeros.
     */
    public static void sdpa(Tensor q, Tensor k, Tensor v, Tensor out, Options o) {
        int b = q.dim(0);
        int h = q.dim(1);
        int lq = q.dim(2);
        int d = q.dim(3);
        int lk = k.dim(2);
        int dv = v.dim(3);
        float scale = o == null || Float.isNaN(o.scale) ? (float) (1.0 / Math.sqrt(d)) : o.scale;
        Parallel.forEach(b * h * lq, r -> {
            int bi = r / (h * lq);
            int hi = (r / lq) % h;
            int qi = r % lq;
            int valid = o != null && o.keyLengths != null ? Math.min(lk, o.keyLengths[bi]) : lk;
            int qo = q.offset() + r * d;
            int oo = out.offset() + r * dv;
            if (valid <= 0) {
                java.util.Arrays.fill(out.data(), oo, oo + dv, 0f);
                return;
            }
            float[] s = new float[valid];
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < valid; j++) {
                int ko = k.offset() + ((bi * h + hi) * lk + j) * d;
                float dot = 0f;
                for (int p = 0; p < d; p++) {
                    dot += q.data()[qo + p] * k.data()[ko + p];
                }
                dot *= scale;
                if (o != null && o.bias != null) {
                    dot += o.bias.data()[o.bias.offset() + (hi * lq + qi) * lk + j];
                }
                if (o != null && o.keyMask != null) {
                    dot += o.keyMask.data()[o.keyMask.offset() + bi * lk + j];
                }
                s[j] = dot;
                max = Math.max(max, dot);
            }
            float sum = 0f;
            for (int j = 0; j < valid; j++) {
                s[j] = (float) Math.exp(s[j] - max);
                sum += s[j];
            }
            for (int p = 0; p < dv; p++) {
                float acc = 0f;
                for (int j = 0; j < valid; j++) {
                    acc += s[j] * v.data()[v.offset() + ((bi * h + hi) * lk + j) * dv + p];
                }
                out.data()[oo + p] = acc / sum;
            }
        });
    }
}
