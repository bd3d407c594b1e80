package jsora.tensor.kernels;

import jsora.tensor.Parallel;

/**
 * Cache-blocked C[M, N] = A[M, K] · B[K, N] (+ bias[N]) around {@link GemmMicroKernel}, in the GotoBLAS/BLIS loop
 * order: for each panel of at most {@value #NC} columns and each block of at most {@value #KC} k-steps, B's panel is
 * packed once (shared by all threads, converted to float32), then blocks of at most {@value #MC} rows of A are packed
 * (per thread) and multiplied tile by tile. Threads split the output tiles only; the K blocks depend on K alone and
 * every element sums them in the same order, so results are bit-identical for any thread count.
 */
final class GemmDriver {
    /**
     * Most k-steps per packed block. A B sliver (KC × NR floats) stays in L1/L2 while the A slivers of the block
     * stream past it; long blocks also let the transposing pack of a weight read long runs of each row, and at
     * STDiT3's width (K = 1152) one block means C is written once (1152 measured best of 256 to 2048 on the model
     * shapes, BENCHMARKS.md "GEMM and kernels").
     */
    static final int KC = 1152;
    /** Most rows of A per packed block (a multiple of MR; MC × KC floats are 1.1 MB, for an L2 of 1–2 MB). */
    static final int MC = 240;
    /** Most columns of B per packed panel (KC × NC floats, shared by the threads, live in L2/L3). */
    static final int NC = 2048;
    /** Below this many multiply-adds per panel the work is not worth a fork. */
    private static final long SERIAL_MACS = 1L << 18;

    private static final ThreadLocal<float[]> PACKED_A = new ThreadLocal<>();
    private static final ThreadLocal<float[]> PACKED_B = new ThreadLocal<>();
    private static final ThreadLocal<float[]> TILE = new ThreadLocal<>();

    private GemmDriver() {
    }

    /**
     * C[i, j] (row i at {@code cOff + i·ldc}) = Σ_p A[i, p]·B[p, j] + bias[j], with A row i at {@code aOff + i·lda}.
     * {@code bias} may be null.
     */
    static void multiply(int m, int n, int k, float[] a, int aOff, int lda, GemmRhs b,
                         float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        run(m, n, k, a, aOff, lda, null, b, bias, biasOff, c, cOff, ldc);
    }

    /** As {@link #multiply(int, int, int, float[], int, int, GemmRhs, float[], int, float[], int, int)}, A packed. */
    static void multiply(PackedLhs a, int n, GemmRhs b, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        run(a.m, n, a.k, null, 0, 0, a, b, bias, biasOff, c, cOff, ldc);
    }

    /**
     * A[M, K] packed once into the blocks {@link #multiply} would pack it into one by one, for a product whose A
     * is used again and again (a convolution's weight, over its tiles of output positions): block (ib, kb) sits at
     * {@code p0·mPad + i0·kc} for its first k-step p0 and first row i0, mPad being M rounded up to whole slivers.
     */
    static final class PackedLhs {
        final int m;
        final int k;
        private final int mPad;
        private final float[] data;

        PackedLhs(int m, int k, float[] a, int aOff, int lda) {
            this.m = m;
            this.k = k;
            mPad = roundUp(m, GemmMicroKernel.MR);
            data = new float[mPad * k];
            int kBlocks = ceilDiv(k, KC);
            for (int kb = 0; kb < kBlocks; kb++) {
                int p0 = part(k, kBlocks, kb);
                int kc = part(k, kBlocks, kb + 1) - p0;
                packA(a, aOff + p0, lda, m, kc, data, p0 * mPad);
            }
        }
    }

    private static void run(int m, int n, int k, float[] a, int aOff, int lda, PackedLhs packedA, GemmRhs b,
                            float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cOff + i * ldc + j] = bias == null ? 0f : bias[biasOff + j];
                }
            }
            return;
        }
        final int mr = GemmMicroKernel.MR;
        int nr = GemmMicroKernel.nr();
        int ncMax = Math.min(roundUp(NC, nr), roundUp(n, nr));
        // K is cut into equal blocks of at most KC: the only blocking that touches the arithmetic, fixed by K alone
        int kBlocks = ceilDiv(k, KC);
        // M is cut into blocks of whole tiles, as equal as possible, at most MC rows each
        int tiles = ceilDiv(m, mr);
        int mBlocks = ceilDiv(tiles, MC / mr);
        // inside a parallel region (a convolution's tiles) the product runs serially: one group packs each A block once
        int threads = Parallel.available();
        // many row blocks: threads take rows; few: threads take columns (each packs all the rows once)
        boolean splitRows = mBlocks >= 4 * threads;
        float[] bp = buffer(PACKED_B, ceilDiv(k, kBlocks) * ncMax);
        for (int jc = 0; jc < n; jc += ncMax) {
            int j0 = jc;
            int nc = Math.min(ncMax, n - jc);
            int slivers = ceilDiv(nc, nr);
            int groups = splitRows ? 1 : Math.min(slivers, threads);
            int units = groups * mBlocks;
            for (int kb = 0; kb < kBlocks; kb++) {
                int p0 = part(k, kBlocks, kb);
                int kc = part(k, kBlocks, kb + 1) - p0;
                boolean serial = (long) m * nc * kc < SERIAL_MACS;
                Parallel.forRange(slivers, serial ? slivers : 1, (from, to) -> {
                    for (int q = from; q < to; q++) {
                        int col = j0 + q * nr;
                        b.packSliver(p0, kc, col, Math.min(nr, n - col), nr, bp, q * kc * nr);
                    }
                });
                boolean accumulate = kb > 0;
                Parallel.forRange(units, serial ? units : 1, (from, to) -> {
                    float[] ap = packedA != null ? null : buffer(PACKED_A, MC * kc);
                    int packed = -1;
                    for (int u = from; u < to; u++) {
                        int g = u / mBlocks;
                        int ib = u % mBlocks;
                        int i0 = part(tiles, mBlocks, ib) * mr;
                        int mc = Math.min(m, part(tiles, mBlocks, ib + 1) * mr) - i0;
                        float[] blockA = ap;
                        int blockAt = 0;
                        if (packedA != null) {
                            blockA = packedA.data;
                            blockAt = p0 * packedA.mPad + i0 * kc;
                        } else if (ib != packed) {
                            packA(a, aOff + i0 * lda + p0, lda, mc, kc, ap, 0);
                            packed = ib;
                        }
                        block(mc, kc, blockA, blockAt, bp, part(slivers, groups, g), part(slivers, groups, g + 1),
                                nr, n - j0, c, cOff + i0 * ldc + j0, ldc, accumulate, bias, biasOff + j0);
                    }
                });
            }
        }
    }

    /**
     * Multiplies a packed A block by slivers q0 .. q1 of the packed B panel, B sliver by B sliver: each B sliver is
     * read from cache by every A sliver of the block in turn (faster by 5–20% on the model shapes than the other
     * order, which keeps the A sliver and streams the B slivers).
     */
    private static void block(int mc, int kc, float[] ap, int apOff, float[] bp, int q0, int q1, int nr,
                              int nLeft, float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff) {
        final int mr = GemmMicroKernel.MR;
        float[] acc = buffer(TILE, mr * nr);
        for (int q = q0; q < q1; q++) {
            int cols = Math.min(nr, nLeft - q * nr);
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                int co = cOff + ir * ldc + q * nr;
                GemmMicroKernel.tile(kc, ap, apOff + ir * kc, mr, bp, q * kc * nr, nr, acc, 0, nr);
                GemmMicroKernel.merge(acc, rows, cols, c, co, ldc, accumulate, bias, biasOff + q * nr);
            }
        }
    }

    /**
     * Packs rows 0 .. mc of A (row i at {@code src + i·lda}, kc values) into slivers of MR rows, k-major:
     * element (i, p) at {@code dstOff + (i / MR)·kc·MR + p·MR + i % MR}; rows past mc are zero. A whole sliver is
     * copied one k-step at a time, its 12 values from 12 rows (unrolled, like the micro-kernel), so that the writes run
     * straight through the sliver (about 1.8× faster than row by row, whose writes are 12 floats apart).
     */
    private static void packA(float[] a, int src, int lda, int mc, int kc, float[] dst, int dstOff) {
        final int mr = GemmMicroKernel.MR;
        for (int i0 = 0; i0 < mc; i0 += mr) {
            int d = dstOff + (i0 / mr) * kc * mr;
            int rows = Math.min(mr, mc - i0);
            int r0 = src + i0 * lda;
            if (rows == mr) {
                for (int p = 0; p < kc; p++, d += mr) {
                    int s = r0 + p;
                    dst[d] = a[s];
                    dst[d + 1] = a[s + lda];
                    dst[d + 2] = a[s + 2 * lda];
                    dst[d + 3] = a[s + 3 * lda];
                    dst[d + 4] = a[s + 4 * lda];
                    dst[d + 5] = a[s + 5 * lda];
                    dst[d + 6] = a[s + 6 * lda];
                    dst[d + 7] = a[s + 7 * lda];
                    dst[d + 8] = a[s + 8 * lda];
                    dst[d + 9] = a[s + 9 * lda];
                    dst[d + 10] = a[s + 10 * lda];
                    dst[d + 11] = a[s + 11 * lda];
                }
            } else {
                for (int p = 0; p < kc; p++, d += mr) {
                    for (int r = 0; r < mr; r++) {
                        dst[d + r] = r < rows ? a[r0 + r * lda + p] : 0f;
                    }
                }
            }
        }
    }

    private static float[] buffer(ThreadLocal<float[]> cache, int size) {
        float[] buf = cache.get();
        if (buf == null || buf.length < size) {
            buf = new float[size];
            cache.set(buf);
        }
        return buf;
    }

    /** Start of part {@code i} when {@code total} is cut into {@code parts} near-equal parts. */
    private static int part(int total, int parts, int i) {
        return (int) ((long) total * i / parts);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
