package jsora.models.sampler;

import jsora.tensor.Tensor;

/** Classifier-free guidance over the batch the sampler builds (conditional rows first, then unconditional). */
public final class Guidance {
    private Guidance() {
    }

    /** {@code cat([z, z])} along the batch axis: [B, ...] to [2B, ...]. */
    public static Tensor doubled(Tensor z) {
        int[] s = z.shape();
        s[0] *= 2;
        Tensor out = Tensor.zeros(s);
        out.slice(0, z.dim(0)).copyFrom(z);
        out.slice(z.dim(0), 2 * z.dim(0)).copyFrom(z);
        return out;
    }

    /**
     * The guided velocity {@code u + scale·(c − u)} in float32, in that order (as RFLOW.sample), with c and u the
     * first {@code channels} channels of the conditional and unconditional rows of the model output
     * {@code out} [2B, C', T, H, W].
     */
    public static Tensor combine(Tensor out, int channels, float scale) {
        if (out.rank() != 5 || out.dim(0) % 2 != 0 || out.dim(1) < channels) {
            throw new IllegalArgumentException("model output must be [2B, >=" + channels + ", T, H, W], got " + out);
        }
        int b = out.dim(0) / 2;
        int perChannel = out.dim(2) * out.dim(3) * out.dim(4);
        int rowStride = out.dim(1) * perChannel;
        int n = channels * perChannel;
        Tensor v = Tensor.zeros(b, channels, out.dim(2), out.dim(3), out.dim(4));
        float[] o = out.data();
        float[] d = v.data();
        for (int r = 0; r < b; r++) {
            int c = out.offset() + r * rowStride;
            int u = out.offset() + (r + b) * rowStride;
            for (int i = 0; i < n; i++) {
                float uncond = o[u + i];
                d[r * n + i] = uncond + scale * (o[c + i] - uncond);
            }
        }
        return v;
    }
}
