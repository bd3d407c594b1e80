package jsora.tensor.kernels;

import java.util.Arrays;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.WeightTensor;

/**
 * The right-hand operand B[K, N] of a {@link GemmDriver} product, and how to pack it. The micro-kernel wants B in
 * slivers of {@code nr} columns, laid out k-major ({@code kc} rows of {@code nr} consecutive floats), so the packing
 * reads B in whatever layout and dtype it is stored and writes float32 slivers, zero-padded past column N.
 */
abstract class GemmRhs {
    /**
     * Writes B[k0 .. k0+kc, j0 .. j0+nj] as a sliver into {@code dst[off ..]}: element (p, q) at {@code off + p·nr + q};
     * columns nj .. nr are zero.
     */
    abstract void packSliver(int k0, int kc, int j0, int nj, int nr, float[] dst, int off);

    /** B = Wᵀ for a weight W[N, K] (the {@code F.linear} case), converting bf16/fp16 to float32 while packing. */
    static GemmRhs transposedWeight(WeightTensor w) {
        int k = w.dim(1);
        if (w.dtype() == DType.F32) {
            return new TransposedF32(w.f32(), 0, k);
        }
        return new TransposedHalf(w.halfBits(), k, w.dtype() == DType.BF16);
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
            for (int q = 0; q < nj; q++) {
                int src = base + (j0 + q) * ld + k0;
                for (int p = 0, d = off + q; p < kc; p++, d += nr) {
                    dst[d] = t[src + p];
                }
            }
            zeroPad(kc, nj, nr, dst, off);
        }
    }

    /** As {@link TransposedF32} from 16-bit storage: bf16 is the top half of a float32, fp16 needs {@link Half}. */
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
            for (int q = 0; q < nj; q++) {
                int src = (j0 + q) * ld + k0;
                int d = off + q;
                if (bf16) {
                    for (int p = 0; p < kc; p++, d += nr) {
                        dst[d] = Float.intBitsToFloat(h[src + p] << 16);
                    }
                } else {
                    for (int p = 0; p < kc; p++, d += nr) {
                        dst[d] = Half.f16ToFloat(h[src + p]);
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
