package jsora.tensor.kernels;

import jsora.tensor.Tensor;

/** Nearest-neighbour upsampling. */
public final class Upsample {
    private Upsample() {
    }

    /** x[N, C, T, H, W] → out[N, C, T·ft, H·fs, W·fs], each value repeated (F.interpolate mode="nearest"). */
    public static void nearest3d(Tensor x, int ft, int fs, Tensor out) {
        int nc = x.dim(0) * x.dim(1);
        int t = x.dim(2);
        int h = x.dim(3);
        int w = x.dim(4);
        int ot = t * ft;
        int oh = h * fs;
        int ow = w * fs;
        if (out.size() != nc * ot * oh * ow) {
            throw new IllegalArgumentException("upsample: output " + out + " does not match " + x);
        }
        float[] xa = x.data();
        float[] oa = out.data();
        for (int p = 0; p < nc; p++) {
            for (int zt = 0; zt < ot; zt++) {
                for (int zy = 0; zy < oh; zy++) {
                    int src = x.offset() + ((p * t + zt / ft) * h + zy / fs) * w;
                    int dst = out.offset() + ((p * ot + zt) * oh + zy) * ow;
                    for (int zx = 0; zx < ow; zx++) {
                        oa[dst + zx] = xa[src + zx / fs];
                    }
                }
            }
        }
    }

    /** x[N, C, H, W] → out[N, C, H·f, W·f]. */
    public static void nearest2d(Tensor x, int f, Tensor out) {
        nearest3d(x.reshape(x.dim(0), x.dim(1), 1, x.dim(2), x.dim(3)), 1, f,
                out.reshape(out.dim(0), out.dim(1), 1, out.dim(2), out.dim(3)));
    }
}
