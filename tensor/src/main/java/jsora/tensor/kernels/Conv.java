package jsora.tensor.kernels;

import jdk.incubator.vector.VectorSpecies;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * Convolutions with zero padding (callers pad in other modes themselves), as GEMMs over im2col tiles: a tile of
 * output positions gathers its receptive fields into rows col[P, C·kt·kh·kw], {@link Gemm#linear} computes
 * y[P, O] = col·Wᵀ + bias with the weight as stored (fp32, bf16 or fp16), and y is transposed into the
 * channel-major output. Tiles are whole output rows and their size depends only on the shapes, so results are
 * bit-identical for any thread count whenever the GEMM's are.
 */
public final class Conv {
    private Conv() {
    }

    /** Upper bound on the floats of one im2col tile (2 MB: the tile is written, then read back by the GEMM). */
    private static final int TILE_FLOATS = 1 << 19;
    /** Lower bound on the output positions of a tile (rows of the GEMM), which keeps the GEMM efficient. */
    private static final int MIN_POSITIONS = 256;

    /**
     * torch conv2d: x[N, C, H, W], w[O, C, kh, kw], bias [O] or null, stride, symmetric padding;
     * out[N, O, (H + 2·pad − kh)/stride + 1, (W + 2·pad − kw)/stride + 1].
     */
    public static void conv2d(Tensor x, WeightTensor w, Tensor bias, int stride, int pad, Tensor out) {
        conv2d(Simd.species(), x, w, bias, new int[] {stride, stride}, new int[] {pad, pad, pad, pad}, out);
    }

    /** conv2d with strides {sh, sw} and zero padding {top, bottom, left, right}. */
    public static void conv2d(VectorSpecies<Float> sp, Tensor x, WeightTensor w, Tensor bias, int[] stride,
            int[] pad, Tensor out) {
        if (x.rank() != 4 || out.rank() != 4 || stride.length != 2 || pad.length != 4) {
            throw new IllegalArgumentException("conv2d: need x, out [N, C, H, W], 2 strides and 4 pads, got x " + x
                    + ", out " + out + ", " + stride.length + " strides, " + pad.length + " pads");
        }
        conv3d(sp, x.reshape(x.dim(0), x.dim(1), 1, x.dim(2), x.dim(3)), w, 1, bias,
                new int[] {1, stride[0], stride[1]}, new int[] {0, 0, pad[0], pad[1], pad[2], pad[3]},
                out.reshape(out.dim(0), out.dim(1), 1, out.dim(2), out.dim(3)));
    }

    /**
     * conv3d over x[N, C, T, H, W] with w[O, C, kt, kh, kw] (a 4-D w with {@code kt == 1} is a 2-D kernel),
     * strides {st, sh, sw} and zero padding {tFront, tBack, hTop, hBottom, wLeft, wRight}. A causal convolution
     * (Open-Sora's CausalConv3d) pads time on the front only.
     */
    public static void conv3d(Tensor x, WeightTensor w, int kt, Tensor bias, int[] stride, int[] pad, Tensor out) {
        conv3d(Simd.species(), x, w, kt, bias, stride, pad, out);
    }

    public static void conv3d(VectorSpecies<Float> sp, Tensor x, WeightTensor w, int kt, Tensor bias, int[] stride,
            int[] pad, Tensor out) {
        Geometry g = new Geometry(x, w, kt, bias, stride, pad, out);
        WeightTensor w2 = w.reshape(g.o, g.k);
        int rowsPerTile = Math.max(1, Math.min(g.ot * g.oh,
                Math.max(TILE_FLOATS / Math.max(1, g.k * g.ow), (MIN_POSITIONS + g.ow - 1) / g.ow)));
        int rowsAll = g.ot * g.oh;
        float[] col = new float[Math.min(rowsAll, rowsPerTile) * g.ow * g.k];
        float[] y = new float[Math.min(rowsAll, rowsPerTile) * g.ow * g.o];
        for (int b = 0; b < g.n; b++) {
            for (int r0 = 0; r0 < rowsAll; r0 += rowsPerTile) {
                int r1 = Math.min(rowsAll, r0 + rowsPerTile);
                int positions = (r1 - r0) * g.ow;
                int batch = b;
                int first = r0;
                Parallel.forRange(r1 - r0, 1, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        g.gatherRow(batch, first + r, col, r * g.ow * g.k);
                    }
                });
                Gemm.linear(sp, Tensor.wrap(col, new int[] {positions, g.k}), w2, bias,
                        Tensor.wrap(y, new int[] {positions, g.o}));
                Parallel.forRange(g.o, 16, (from, to) -> {
                    for (int oc = from; oc < to; oc++) {
                        int dst = out.offset() + (batch * g.o + oc) * rowsAll * g.ow + first * g.ow;
                        float[] oa = out.data();
                        for (int p = 0; p < positions; p++) {
                            oa[dst + p] = y[p * g.o + oc];
                        }
                    }
                });
            }
        }
    }

    /** Checked sizes of one convolution and the im2col gather. */
    private static final class Geometry {
        final Tensor x;
        final int n;
        final int c;
        final int t;
        final int h;
        final int wd;
        final int o;
        final int kt;
        final int kh;
        final int kw;
        final int k;
        final int[] stride;
        final int[] pad;
        final int ot;
        final int oh;
        final int ow;

        Geometry(Tensor x, WeightTensor w, int kt, Tensor bias, int[] stride, int[] pad, Tensor out) {
            if (x.rank() != 5 || out.rank() != 5 || stride.length != 3 || pad.length != 6) {
                throw new IllegalArgumentException("conv3d: need x, out [N, C, T, H, W], 3 strides and 6 pads, got x "
                        + x + ", out " + out + ", " + stride.length + " strides, " + pad.length + " pads");
            }
            this.x = x;
            this.stride = stride.clone();
            this.pad = pad.clone();
            n = x.dim(0);
            c = x.dim(1);
            t = x.dim(2);
            h = x.dim(3);
            wd = x.dim(4);
            o = w.dim(0);
            this.kt = kt;
            kh = w.dim(-2);
            kw = w.dim(-1);
            k = c * kt * kh * kw;
            if (w.rank() < 4 || w.dim(1) != c || w.size() != o * k) {
                throw new IllegalArgumentException("conv: input " + x + " has " + c + " channels, weight " + w
                        + " is not [O, " + c + ", " + kt + ", kh, kw]");
            }
            for (int s : stride) {
                if (s < 1) {
                    throw new IllegalArgumentException("conv: strides must be >= 1, got " + java.util.Arrays.toString(stride));
                }
            }
            for (int p : pad) {
                if (p < 0) {
                    throw new IllegalArgumentException("conv: pads must be >= 0, got " + java.util.Arrays.toString(pad));
                }
            }
            if (bias != null && bias.size() != o) {
                throw new IllegalArgumentException("conv: bias " + bias + " should have " + o + " elements");
            }
            ot = (t + pad[0] + pad[1] - kt) / stride[0] + 1;
            oh = (h + pad[2] + pad[3] - kh) / stride[1] + 1;
            ow = (wd + pad[4] + pad[5] - kw) / stride[2] + 1;
            if (ot < 1 || oh < 1 || ow < 1) {
                throw new IllegalArgumentException("conv: kernel larger than padded input " + x);
            }
            if (out.dim(0) != n || out.dim(1) != o || out.dim(2) != ot || out.dim(3) != oh || out.dim(4) != ow) {
                throw new IllegalArgumentException("conv: output " + out + " is not [" + n + ", " + o + ", " + ot
                        + ", " + oh + ", " + ow + "]");
            }
        }

        /**
         * Writes the receptive fields of output row {@code row} (= zt·oh + zy) of batch b, one position after the
         * other (so the writes stream), each in the weight's (c, dt, dy, dx) order; taps in the padding are 0.
         */
        void gatherRow(int b, int row, float[] col, int at) {
            float[] xa = x.data();
            int zt = row / oh;
            int zy = row % oh;
            // start of the input row behind each (c, dt, dy), or -1 where that row is padding
            int[] src = new int[c * kt * kh];
            for (int ic = 0, r = 0; ic < c; ic++) {
                for (int dt = 0; dt < kt; dt++) {
                    int it = zt * stride[0] - pad[0] + dt;
                    for (int dy = 0; dy < kh; dy++, r++) {
                        int iy = zy * stride[1] - pad[2] + dy;
                        boolean inside = it >= 0 && it < t && iy >= 0 && iy < h;
                        src[r] = inside ? x.offset() + (((b * c + ic) * t + it) * h + iy) * wd : -1;
                    }
                }
            }
            int dst = at;
            for (int zx = 0; zx < ow; zx++) {
                int ix0 = zx * stride[2] - pad[4];
                boolean xInside = ix0 >= 0 && ix0 + kw <= wd;
                for (int s0 : src) {
                    if (s0 < 0) {
                        for (int dx = 0; dx < kw; dx++) {
                            col[dst++] = 0f;
                        }
                    } else if (xInside) {
                        for (int dx = 0; dx < kw; dx++) {
                            col[dst++] = xa[s0 + ix0 + dx];
                        }
                    } else {
                        for (int dx = 0; dx < kw; dx++) {
                            int ix = ix0 + dx;
                            col[dst++] = ix >= 0 && ix < wd ? xa[s0 + ix] : 0f;
                        }
                    }
                }
            }
        }
    }
}
