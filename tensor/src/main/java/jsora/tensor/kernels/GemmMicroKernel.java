package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The register-tiled inner kernel of {@link Gemm}: one {@value #MR} × (2 vectors) tile of C, updated with the
 * product of a packed A sliver ({@code kc} steps of {@value #MR} row values) and a packed B sliver ({@code kc} steps
 * of {@code 2·L} column values, L = lanes of the species). Each step broadcasts one A value per row and does two
 * fused multiply-adds into that row's accumulators, so the whole tile (24 vectors) stays in registers over the K loop.
 * The sum over k runs in order 0..kc-1 for every element, whatever tile or thread computes it.
 */
final class GemmMicroKernel {
    /** Rows of C per tile. */
    static final int MR = 12;

    private GemmMicroKernel() {
    }

    /** Columns of C per tile: two vectors. */
    static int nr() {
        return 2 * SPECIES.length();
    }

    /**
     * c[MR rows × NR, row r at {@code co + r·ldc}] = Σ_p a_p ⊗ b_p over {@code kc} steps: step p reads MR row values
     * at {@code a[ao + p·aStep ..]} and NR column values at {@code b[bo + p·bStep ..]}. The GEMM passes packed
     * slivers (aStep = MR, bStep = NR) and a small buffer for c, so that this method stays small enough for the JIT
     * to keep every vector operation intrinsic ({@link #merge} then adds it to C); attention passes its own layouts.
     */
    static void tile(int kc, float[] a, int ao, int aStep, float[] b, int bo, int bStep,
                     float[] c, int co, int ldc) {
        final int l = SPECIES.length();
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z, c80 = z, c81 = z, c90 = z, c91 = z;
        FloatVector c100 = z, c101 = z, c110 = z, c111 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * bStep;
            int ai = ao + p * aStep;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(SPECIES, a[ai + 8]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(SPECIES, a[ai + 9]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(SPECIES, a[ai + 10]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(SPECIES, a[ai + 11]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + l);
        c10.intoArray(c, co + 1 * ldc);
        c11.intoArray(c, co + 1 * ldc + l);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + l);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + l);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + l);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + l);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + l);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + l);
        c80.intoArray(c, co + 8 * ldc);
        c81.intoArray(c, co + 8 * ldc + l);
        c90.intoArray(c, co + 9 * ldc);
        c91.intoArray(c, co + 9 * ldc + l);
        c100.intoArray(c, co + 10 * ldc);
        c101.intoArray(c, co + 10 * ldc + l);
        c110.intoArray(c, co + 11 * ldc);
        c111.intoArray(c, co + 11 * ldc + l);
    }

    /**
     * C[rows × cols at {@code co}, stride {@code ldc}] = base + acc[rows × cols of an MR × NR tile], where base is the
     * current C if {@code accumulate}, else {@code bias[biasOff ..]} (zero when {@code bias} is null).
     */
    static void merge(float[] acc, int rows, int cols, float[] c, int co, int ldc,
                      boolean accumulate, float[] bias, int biasOff) {
        int nr = nr();
        int l = SPECIES.length();
        for (int r = 0; r < rows; r++) {
            int ci = co + r * ldc;
            int ai = r * nr;
            if (!accumulate && bias == null) {
                System.arraycopy(acc, ai, c, ci, cols);
                continue;
            }
            float[] base = accumulate ? c : bias;
            int bi = accumulate ? ci : biasOff;
            int j = 0;
            for (; j <= cols - l; j += l) {
                FloatVector.fromArray(SPECIES, base, bi + j).add(FloatVector.fromArray(SPECIES, acc, ai + j))
                        .intoArray(c, ci + j);
            }
            for (; j < cols; j++) {
                c[ci + j] = base[bi + j] + acc[ai + j];
            }
        }
    }
}
