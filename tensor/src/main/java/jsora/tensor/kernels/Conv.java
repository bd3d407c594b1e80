package jsora.tensor.kernels;

import java.util.Arrays;
import jsora.tensor.DType;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * Convolutions with zero padding (callers pad in other modes themselves), as GEMMs in the channel-major layout:
 * out[O, P] = W[O, K] · col[K, P] over a tile of P output positions, where row (c, dt, dy, dx) of col holds, for each
 * position, the input value under that tap (im2col, transposed so that each row is gathered by copying input rows).
 * The product is written straight into the output planes (no transpose); a 1×1×1 stride-1 unpadded convolution skips
 * the gather and multiplies the input planes themselves. A 16-bit or int8 weight is converted to float32 once per call.
 * Threads take whole tiles (rows of output positions, sized by the shapes alone), gathering and multiplying each
 * alone, so results are bit-identical for any thread count.
 */
public final class Conv {
    private Conv() {
    }

    /**
     * Output positions per im2col tile (rounded down to whole rows, at least one): a GEMM with 512 columns keeps its
     * packed block of col in L2 (256 and 1024 measured slower on the VAE shapes).
     */
    private static final int TILE_POSITIONS = 512;
    /** Upper bound on the floats of one thread's im2col tile (16 MB), which shrinks the tile for very long K. */
    private static final int TILE_FLOATS = 1 << 22;

    /**
     * torch conv2d: x[N, C, H, W], w[O, C, kh, kw], bias [O] or null, stride, symmetric padding;
     * out[N, O, (H + 2·pad − kh)/stride + 1, (W + 2·pad − kw)/stride + 1].
     */
    public static void conv2d(Tensor x, WeightTensor w, Tensor bias, int stride, int pad, Tensor out) {
        conv2d(x, w, bias, new int[] {stride, stride}, new int[] {pad, pad, pad, pad}, out);
    }

    /** conv2d with strides {sh, sw} and zero padding {top, bottom, left, right}. */
    public static void conv2d(Tensor x, WeightTensor w, Tensor bias, int[] stride, int[] pad, Tensor out) {
        if (x.rank() != 4 || out.rank() != 4 || stride.length != 2 || pad.length != 4) {
            throw new IllegalArgumentException("conv2d: need x, out [N, C, H, W], 2 strides and 4 pads, got x " + x
                    + ", out " + out + ", " + stride.length + " strides, " + pad.length + " pads");
        }
        conv3d(x.reshape(x.dim(0), x.dim(1), 1, x.dim(2), x.dim(3)), w, 1, bias,
                new int[] {1, stride[0], stride[1]}, new int[] {0, 0, pad[0], pad[1], pad[2], pad[3]},
                out.reshape(out.dim(0), out.dim(1), 1, out.dim(2), out.dim(3)));
    }

    /**
     * conv3d over x[N, C, T, H, W] with w[O, C, kt, kh, kw] (a 4-D w with {@code kt == 1} is a 2-D kernel),
     * strides {st, sh, sw} and zero padding {tFront, tBack, hTop, hBottom, wLeft, wRight}. A causal convolution
     * (Open-Sora's CausalConv3d) pads time on the front only.
     */
    public static void conv3d(Tensor x, WeightTensor w, int kt, Tensor bias, int[] stride,
            int[] pad, Tensor out) {
        JitWarmUp.ensure();
        long t0 = System.nanoTime();
        Geometry g = new Geometry(x, w, kt, bias, stride, pad, out);
        float[] wf = w.dtype() == DType.F32 ? w.f32() : w.toTensor().data();
        int rowsAll = g.ot * g.oh;
        int plane = rowsAll * g.ow;
        float[] oa = out.data();
        if (g.pointwise()) {
            for (int b = 0; b < g.n; b++) {
                GemmDriver.multiply(g.o, plane, g.c, wf, 0, g.c,
                        GemmRhs.plain(x.data(), x.offset() + b * g.c * plane, plane), null, 0, oa,
                        out.offset() + b * g.o * plane, plane);
            }
        } else {
            // tiles of whole output rows, each gathered and multiplied by one thread (the GEMM then runs serially),
            // all against the weight packed once
            GemmDriver.PackedLhs packedW = new GemmDriver.PackedLhs(g.o, g.k, wf, 0, g.k);
            int rowsPerTile = Math.max(1, Math.min(rowsAll, Math.min(TILE_POSITIONS, TILE_FLOATS / g.k) / g.ow));
            int tiles = (rowsAll + rowsPerTile - 1) / rowsPerTile;
            Parallel.forRange(g.n * tiles, 1, (from, to) -> {
                float[] col = new float[rowsPerTile * g.ow * g.k];
                for (int item = from; item < to; item++) {
                    int b = item / tiles;
                    int r0 = item % tiles * rowsPerTile;
                    int r1 = Math.min(rowsAll, r0 + rowsPerTile);
                    int positions = (r1 - r0) * g.ow;
                    for (int tap = 0; tap < g.k; tap++) {
                        g.gatherTap(b, tap, r0, r1, col, tap * positions);
                    }
                    GemmDriver.multiply(packedW, positions, GemmRhs.plain(col, 0, positions), null, 0, oa,
                            out.offset() + b * g.o * plane + r0 * g.ow, plane);
                }
            });
        }
        if (bias != null) {
            addBias(bias, out, g.n, g.o, plane);
        }
        KernelClock.add(KernelClock.Kernel.CONV, 2L * g.n * g.o * plane * g.k, t0);
    }

    /** out[b, oc, ·] += bias[oc]. */
    private static void addBias(Tensor bias, Tensor out, int n, int o, int plane) {
        float[] oa = out.data();
        float[] ba = bias.data();
        Parallel.forRange(n * o, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = ba[bias.offset() + i % o];
                int at = out.offset() + i * plane;
                for (int p = 0; p < plane; p++) {
                    oa[at + p] += v;
                }
            }
        });
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
                    throw new IllegalArgumentException("conv: strides must be >= 1, got " + Arrays.toString(stride));
                }
            }
            for (int p : pad) {
                if (p < 0) {
                    throw new IllegalArgumentException("conv: pads must be >= 0, got " + Arrays.toString(pad));
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

        /** A 1×1×1 kernel with unit strides and no padding: the input planes are the GEMM operand itself. */
        boolean pointwise() {
            boolean unit = kt == 1 && kh == 1 && kw == 1;
            for (int i = 0; i < 3; i++) {
                unit &= stride[i] == 1 && pad[2 * i] == 0 && pad[2 * i + 1] == 0;
            }
            return unit;
        }

        /**
         * Writes row {@code tap} (= ((c·kt + dt)·kh + dy)·kw + dx, the weight's order) of the transposed im2col tile
         * for output rows {@code row0 .. row1} (row = zt·oh + zy) of batch b: for each of their positions, the input
         * under that tap, or 0 in the padding.
         */
        void gatherTap(int b, int tap, int row0, int row1, float[] col, int at) {
            float[] xa = x.data();
            int dx = tap % kw;
            int dy = tap / kw % kh;
            int dt = tap / (kw * kh) % kt;
            int ic = tap / (kw * kh * kt);
            int sx = stride[2];
            // output columns zx in [lo, hi) read inside the input row: 0 <= zx·sx − padLeft + dx < wd
            int shift = dx - pad[4];
            int lo = Math.min(ow, Math.max(0, (-shift + sx - 1) / sx));
            int hi = wd - 1 - shift < 0 ? lo : Math.max(lo, Math.min(ow, (wd - 1 - shift) / sx + 1));
            int dst = at;
            for (int row = row0; row < row1; row++, dst += ow) {
                int it = row / oh * stride[0] - pad[0] + dt;
                int iy = row % oh * stride[1] - pad[2] + dy;
                if (it < 0 || it >= t || iy < 0 || iy >= h) {
                    Arrays.fill(col, dst, dst + ow, 0f);
                    continue;
                }
                int src = x.offset() + (((b * c + ic) * t + it) * h + iy) * wd + shift;
                Arrays.fill(col, dst, dst + lo, 0f);
                if (sx == 1) {
                    if (hi > lo) { // an empty range may start past the input's end, which arraycopy refuses
                        System.arraycopy(xa, src + lo, col, dst + lo, hi - lo);
                    }
                } else {
                    for (int zx = lo; zx < hi; zx++) {
                        col[dst + zx] = xa[src + zx * sx];
                    }
                }
                Arrays.fill(col, dst + hi, dst + ow, 0f);
            }
        }
    }
}
