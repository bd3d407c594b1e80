package jsora.nn;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/**
 * Copies one part of a fused projection's token layout, [B, L, parts·H·D], into the per-head layout [B, H, L, D]
 * (PyTorch's {@code view(B, L, parts, H, D).permute(2, 0, 3, 1, 4)[part]}), for the layers that change q or k per
 * head before attention (qk-norm, RoPE). Attention itself reads and writes the token layout in place
 * ({@code jsora.tensor.kernels.HeadView}).
 */
public final class Heads {
    private Heads() {
    }

    /** Part {@code part} of packed [B, L, parts·H·D] as a new [B, H, L, D]. */
    public static Tensor part(Tensor packed, int parts, int part, int heads) {
        int b = packed.dim(0);
        int l = packed.dim(1);
        int width = packed.dim(2);
        if (packed.rank() != 3 || width % (parts * heads) != 0 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("cannot take part " + part + " of " + packed + " as " + parts + " x "
                    + heads + " heads");
        }
        int d = width / (parts * heads);
        Tensor out = Tensor.zeros(b, heads, l, d);
        float[] src = packed.data();
        float[] dst = out.data();
        Parallel.forEach(b * l, r -> {
            int bi = r / l;
            int li = r % l;
            int so = packed.offset() + r * width + part * heads * d;
            for (int h = 0; h < heads; h++) {
                System.arraycopy(src, so + h * d, dst, ((bi * heads + h) * l + li) * d, d);
            }
        });
        return out;
    }
}
