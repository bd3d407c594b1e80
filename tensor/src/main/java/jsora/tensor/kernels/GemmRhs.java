package jsora.tensor.kernels;

import java.util.Arrays;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.Int8;
import jsora.tensor.WeightTensor;

/**
 * The right-hand operand B[K, N] of a {@link GemmDriver} product, and how to pack it. The micro-kernel wants B in
 * slivers of {@code nr} columns, laid out k-major ({@code kc} rows of {@code nr} consecutive floats), so the packing
 * reads B in whatever layout and dtype it is stored and writes float32 slivers, zero-padded past column N.
 */
abstract class GemmRhs {
    /** k-steps a transposing pack copies per source row at a time (one 64-byte line of float32). */
    private static final int STEP = 16;

    /**
     * Writes B[k0 .. k0+kc, j0 .. j0+nj] as a sliver into {@code dst[off ..]}: element (p, q) at {@code off + p·nr + q};
     * columns nj .. nr are zero.
     */
    abstract void packSliver(int k0, int kc, int j0, int nj, int nr, float[] dst, int off);

    /**
     * B = Wᵀ for a weight W[N, K] (the {@code F.linear} case), converting bf16/fp16 to float32 and dequantizing int8
     * while packing.
     */
    static GemmRhs transposedWeight(WeightTensor w) {
        int k = w.dim(1);
        switch (w.dtype()) {
            case F32:
                return new TransposedF32(w.f32(), 0, k);
            case I8:
                return new TransposedInt8(w.int8(), w.int8Scales(), w.scaleBlock(), k);
            default:
                return new TransposedHalf(w.halfBits(), k, w.dtype() == DType.BF16);
        }
    }

    /** B = Tᵀ for a float32 matrix T[N, K] whose row j starts at {@code base + j·ld}. */
    static GemmRhs transposed(float[] t, int base, int ld) {
        return new TransposedF32(t, base, ld);
    }

    /** B itself, a float32 matrix [K, N] whose row p starts at {@code base + p·ld}. */
    static GemmRhs plain(float[] b, int base, int ld) {
        return new Plain(b, base, ld);
    }

    private static void zeroPad(int kc, int nj, int nr, float[] dst, int off) {
        if (nj < nr) {
            for (int p = 0; p < kc; p++) {
                Arrays.fill(dst, off + p * nr + nj, off + (p + 1) * nr, 0f);
            }
        }
    }

    /** B[p, j] = t[base + j·ld + p]: a transposing copy, one source row per output column. */
    private static final class TransposedF32 extends GemmRhs {
        private final float[] t;
        private final int base;
        private final int ld;

        TransposedF32(float[] t, int base, int ld) {
            this.t = t;
            this.base = base;
            this.ld = ld;
        }

        @Override
        void packSliver(int k0, int kc, int j0, int nj, int nr, float[] dst, int off) {
            // in steps of one cache line of k, so the written part of the sliver stays in L1
            for (int p0 = 0; p0 < kc; p0 += STEP) {
                int pn = Math.min(STEP, kc - p0);
                for (int q = 0; q < nj; q++) {
                    int src = base + (j0 + q) * ld + k0 + p0;
                    for (int p = 0, d = off + p0 * nr + q; p < pn; p++, d += nr) {
                        dst[d] = t[src + p];
                    }
                }
            }
            zeroPad(kc, nj, nr, dst, off);
        }
    }

    /**
     * fp16 → float32 like {@link Half#f16ToFloat} with one branch: the 15 magnitude bits, moved to a float32's
     * exponent/mantissa position, are the value scaled by 2⁻¹¹² (subnormals included), so one exact multiply by
     * 2¹¹² restores it; only infinities and NaNs (exponent 31) need their exponent set apart.
     */
    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int mag = (h & 0x7fff) << 13;
        if ((h & 0x7c00) == 0x7c00) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mag);
        }
        return Float.intBitsToFloat(sign | mag) * 0x1p112f;
    }

    /** As {@link TransposedF32} from 16-bit storage: bf16 is the top half of a float32, fp16 is widened. */
    private static final class TransposedHalf extends GemmRhs {
        private final short[] h;
        private final int ld;
        private final boolean bf16;

        TransposedHalf(short[] h, int ld, boolean bf16) {
            this.h = h;
            this.ld = ld;
            this.bf16 = bf16;
        }

        @Override
        void packSliver(int k0, int kc, int j0, int nj, int nr, float[] dst, int off) {
            for (int p0 = 0; p0 < kc; p0 += STEP) {
                int pn = Math.min(STEP, kc - p0);
                for (int q = 0; q < nj; q++) {
                    int src = (j0 + q) * ld + k0 + p0;
                    int d = off + p0 * nr + q;
                    if (bf16) {
                        for (int p = 0; p < pn; p++, d += nr) {
                            dst[d] = Float.intBitsToFloat(h[src + p] << 16);
                        }
                    } else {
                        for (int p = 0; p < pn; p++, d += nr) {
                            dst[d] = f16ToFloat(h[src + p]);
                        }
                    }
                }
            }
            zeroPad(kc, nj, nr, dst, off);
        }
    }

    /**
     * As {@link TransposedF32} from int8 storage ({@link Int8}): B[p, j] = q[j·K + p] · scale, the scale
     * of row j's block holding p, one float32 multiply, the same value {@link WeightTensor#get} gives.
     */
    private static final class TransposedInt8 extends GemmRhs {
        private final byte[] q;
        private final float[] scales;
        private final int block;
        private final int ld;
        private final int blocksPerRow;

        TransposedInt8(byte[] q, float[] scales, int block, int ld) {
            this.q = q;
            this.scales = scales;
            this.block = block;
            this.ld = ld;
            this.blocksPerRow = Int8.blocksPerRow(ld, block);
        }

        @Override
        void packSliver(int k0, int kc, int j0, int nj, int nr, float[] dst, int off) {
            for (int p0 = 0; p0 < kc; p0 += STEP) {
                int pn = Math.min(STEP, kc - p0);
                for (int c = 0; c < nj; c++) {
                    int row = j0 + c;
                    int src = row * ld + k0 + p0;
                    int sBase = row * blocksPerRow;
                    int d = off + p0 * nr + c;
                    // in runs that share one scale (a whole step unless a block boundary falls inside it)
                    for (int p = 0; p < pn; ) {
                        int kk = k0 + p0 + p;
                        float scale = scales[sBase + kk / block];
                        int end = Math.min(pn, p + block - kk % block);
                        for (; p < end; p++, d += nr) {
                            dst[d] = q[src + p] * scale;
                        }
                    }
                }
            }
            zeroPad(kc, nj, nr, dst, off);
        }
    }

    /** B[p, j] = b[base + p·ld + j]: rows copied as they are. */
    private static final class Plain extends GemmRhs {
        private final float[] b;
        private final int base;
        private final int ld;

        Plain(float[] b, int base, int ld) {
            this.b = b;
            this.base = base;
            this.ld = ld;
        }

        @Override
        void packSliver(int k0, int kc, int j0, int nj, int nr, float[] dst, int off) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, base + (k0 + p) * ld + j0, dst, off + p * nr, nj);
            }
            zeroPad(kc, nj, nr, dst, off);
        }
    }
}
