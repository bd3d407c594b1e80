package jsora.tensor.kernels;

import jsora.tensor.Tensor;

/**
 * Rotary position embedding in rotary_embedding_torch's convention: features are taken in adjacent pairs
 * (x[2i], x[2i+1]) and rotated by angle[pos, 2i] (its {@code rotate_half} works on interleaved pairs, and its
 * frequencies are repeated twice so angle[pos, 2i] == angle[pos, 2i+1]).
 */
public final class Rope {
    private Rope() {
    }

    /** In place on x[..., L, D] with tables cos, sin [L, D]. */
    public static void apply(Tensor x, Tensor cos, Tensor sin) {
        int d = x.dim(-1);
        int l = x.dim(-2);
        int outer = x.size() / (l * d);
        float[] xa = x.data();
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < l; p++) {
                int base = x.offset() + (o * l + p) * d;
                for (int i = 0; i + 1 < d; i += 2) {
                    float c0 = cos.data()[cos.offset() + p * d + i];
                    float s0 = sin.data()[sin.offset() + p * d + i];
                    float c1 = cos.data()[cos.offset() + p * d + i + 1];
                    float s1 = sin.data()[sin.offset() + p * d + i + 1];
                    float x0 = xa[base + i];
                    float x1 = xa[base + i + 1];
                    xa[base + i] = x0 * c0 - x1 * s0;
                    xa[base + i + 1] = x1 * c1 + x0 * s1;
                }
            }
        }
    }
}
