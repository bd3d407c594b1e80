package jsora.nn;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/**
 * Moves between the token layout of a projection, [B, L, parts·H·D], and the per-head layout attention works on,
 * [B, H, L, D] (PyTorch's {@code view(B, L, parts, H, D).permute(2, 0, 3, 1, 4)}).
 */
public final class Heads {
    private Heads() {
    }

    /** Splits packed [B, L, parts·H·D] (e.g. a fused qkv output) into {@code parts} tensors [B, H, L, D]. */
    public static Tensor[] split(Tensor packed, int parts, int heads) {
        int b = packed.dim(0);
        int l = packed.dim(1);
        int width = packed.dim(2);
        if (packed.rank() != 3 || width % (parts * heads) != 0) {
            throw new IllegalArgumentException("cannot split " + packed + " into " + parts + " x " + heads + " heads");
        }
        int d = width / (parts * heads);
        Tensor[] out = new Tensor[parts];
        for (int p = 0; p < parts; p++) {
            out[p] = Tensor.zeros(b, heads, l, d);
        }
        float[] src = packed.data();
        Parallel.forEach(b * l, r -> {
            int bi = r / l;
            int li = r % l;
            int so = packed.offset() + r * width;
            for (int p = 0; p < parts; p++) {
                float[] dst = out[p].data();
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(src, so + (p * heads + h) * d, dst, ((bi * heads + h) * l + li) * d, d);
                }
            }
        });
        return out;
    }

    /** [B, H, L, D] → a new [B, L, H·D]. */
    public static Tensor merge(Tensor x) {
        int b = x.dim(0);
        int heads = x.dim(1);
        int l = x.dim(2);
        int d = x.dim(3);
        Tensor out = Tensor.zeros(b, l, heads * d);
        float[] src = x.data();
        float[] dst = out.data();
        Parallel.forEach(b * l, r -> {
            int bi = r / l;
            int li = r % l;
            for (int h = 0; h < heads; h++) {
                System.arraycopy(src, x.offset() + ((bi * heads + h) * l + li) * d, dst, (r * heads + h) * d, d);
            }
        });
        return out;
    }
}
