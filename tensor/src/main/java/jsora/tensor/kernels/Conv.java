package jsora.tensor.kernels;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/** Convolutions with zero padding (callers pad in other modes themselves). */
public final class Conv {
    private Conv() {
    }

    /**
     * torch conv2d: x[N, C, H, W], w[O, C, kh, kw], bias [O] or null, stride, symmetric padding;
     * out[N, O, (H + 2·pad − kh)/stride + 1, (W + 2·pad − kw)/stride + 1].
     */
    public static void conv2d(Tensor x, WeightTensor w, Tensor bias, int stride, int pad, Tensor out) {
        conv3d(x.reshape(x.dim(0), x.dim(1), 1, x.dim(2), x.dim(3)),
                w, 1, bias, new int[] {1, stride, stride}, new int[] {0, 0, pad, pad, pad, pad},
                out.reshape(out.dim(0), out.dim(1), 1, out.dim(2), out.dim(3)));
    }

    /**
     * conv3d over x[N, C, T, H, W] with w[O, C, kt, kh, kw] (a 4-D w with {@code kt == 1} is a 2-D kernel),
     * strides {st, sh, sw} and zero padding {tFront, tBack, hTop, hBottom, wLeft, wRight}. A causal convolution
     * (Open-Sora's CausalConv3d) pads time on the front only.
     */
    public static void conv3d(Tensor x, WeightTensor w, int kt, Tensor bias, int[] stride, int[] pad, Tensor out) {
        int n = x.dim(0);
        int c = x.dim(1);
        int t = x.dim(2);
        int h = x.dim(3);
        int wd = x.dim(4);
        int o = w.dim(0);
        int kh = w.dim(-2);
        int kw = w.dim(-1);
        if (w.dim(1) != c) {
            throw new IllegalArgumentException("conv: input " + x + " has " + c + " channels, weight " + w);
        }
        int ot = (t + pad[0] + pad[1] - kt) / stride[0] + 1;
        int oh = (h + pad[2] + pad[3] - kh) / stride[1] + 1;
        int ow = (wd + pad[4] + pad[5] - kw) / stride[2] + 1;
        if (out.dim(0) != n || out.dim(1) != o || out.dim(2) != ot || out.dim(3) != oh || out.dim(4) != ow) {
            throw new IllegalArgumentException("conv: output " + out + " is not [" + n + ", " + o + ", " + ot + ", "
                    + oh + ", " + ow + "]");
        }
        float[] xa = x.data();
        float[] oa = out.data();
        int ksz = c * kt * kh * kw;
        Parallel.forEach(n * o, r -> {
            int b = r / o;
            int oc = r % o;
            float[] k = new float[ksz];
            w.toFloat(oc * ksz, k, 0, ksz);
            float bv = bias == null ? 0f : bias.data()[bias.offset() + oc];
            for (int zt = 0; zt < ot; zt++) {
                for (int zy = 0; zy < oh; zy++) {
                    for (int zx = 0; zx < ow; zx++) {
                        float s = 0f;
                        for (int ic = 0; ic < c; ic++) {
                            for (int dt = 0; dt < kt; dt++) {
                                int it = zt * stride[0] - pad[0] + dt;
                                if (it < 0 || it >= t) {
                                    continue;
                                }
                                for (int dy = 0; dy < kh; dy++) {
                                    int iy = zy * stride[1] - pad[2] + dy;
                                    if (iy < 0 || iy >= h) {
                                        continue;
                                    }
                                    for (int dx = 0; dx < kw; dx++) {
                                        int ix = zx * stride[2] - pad[4] + dx;
                                        if (ix < 0 || ix >= wd) {
                                            continue;
                                        }
                                        s += xa[x.offset() + (((b * c + ic) * t + it) * h + iy) * wd + ix]
                                                * k[((ic * kt + dt) * kh + dy) * kw + dx];
                                    }
                                }
                            }
                        }
                        oa[out.offset() + (((b * o + oc) * ot + zt) * oh + zy) * ow + zx] = s + bv;
                    }
                }
            }
        });
    }
}
