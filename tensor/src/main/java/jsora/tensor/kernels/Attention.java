package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Scaled dot-product attention, {@code softmax(q·kᵀ·scale + bias + mask)·v}, over [B, H, L, D] tensors.
 *
 * <p>Fused and memory-efficient (the FlashAttention recurrence), with both products on the GEMM's register-tiled
 * micro-kernel ({@link GemmMicroKernel#tile}). Each task takes a block of up to {@value #QUERY_BLOCK} query rows of
 * one (batch, head) and walks the keys in tiles of up to {@value #KEY_TILE}:
 * <ol>
 *   <li>Sᵀ = K·Qᵀ: the scores laid out key-major, {@code st[key][query]}, so that the softmax runs across queries,
 *       one vector of queries at a time, with no horizontal reduction. The micro-kernel broadcasts 12 keys (packed
 *       once per head as [D][12] slivers) against two vectors of queries (packed per block as Qᵀ [D][queries], the
 *       scale folded in).</li>
 *   <li>The online softmax per query ({@link #softmaxColumns}): running maximum m and denominator l; a tile with a
 *       larger maximum m' rescales the earlier sums by e^(m − m'). Bias and key mask are added to the tile first.</li>
 *   <li>accᵀ += Vᵀ·Pᵀ, again transposed: the micro-kernel broadcasts 12 value columns (read in place when Dv is
 *       a multiple of 12, else packed once per head as 12-column slivers) against two vectors of queries'
 *       probabilities, read in place from Sᵀ. The online rescaling by e^(m − m') is then a vector multiply
 *       too.</li>
 * </ol>
 * Only one query block × key tile of scores exists at a time. Every query row's arithmetic is the same whatever the
 * task split, so results are bit-identical for any thread count. (Rows and keys past the real ones are computed on
 * zero padding or left-over finite values and never reach the output: each row of a micro-kernel tile depends on
 * its own row of the broadcast operand only.)
 *
 * <p>Fully masked rows: a query row whose keys are all excluded — key length 0, or every logit −∞ (e.g. an additive
 * mask of −∞) — yields zeros (PyTorch would give NaN for the −∞ case). A finite mask such as
 * {@code -Float.MAX_VALUE} (HF's {@code finfo.min}) behaves as in PyTorch: when all keys of a row carry it, their
 * logits round to the same value and the row becomes the plain average of the values.
 */
public final class Attention {
    private Attention() {
    }

    /** Query rows per task: a multiple of the micro-kernel's 12 rows and of two vectors at every width ≤ 512 bits. */
    static final int QUERY_BLOCK = 96;
    /** Keys per online-softmax step (a multiple of 12): the released models' sequences fit in one. */
    static final int KEY_TILE = 384;
    /** Keys (or queries) per micro-kernel tile row group. */
    private static final int MR = GemmMicroKernel.MR;

    /** What to add to the logits and how to scale them. */
    public static final class Options {
        /** Logit scale; 1/√D by default. T5 uses 1. NaN means 1/√D. */
        public float scale = Float.NaN;
        /**
         * Additive bias that depends on the offset q − k only, shared over the batch (T5's relative position bias):
         * [H, Lq + Lk − 1], adding {@code relativeBias[h, q − k + Lk − 1]} to the logit of query q and key k; or null.
         * This form is Lq + Lk − 1 values per head instead of Lq·Lk, and a key's bias over consecutive queries is
         * consecutive in memory, so it is added a vector at a time.
         */
        public Tensor relativeBias;
        /** Additive mask [B, Lk] over keys, or null. */
        public Tensor keyMask;
        /** Per-batch number of valid keys (keys at or past it are ignored), or null. */
        public int[] keyLengths;

        public Options scale(float s) {
            this.scale = s;
            return this;
        }

        public Options relativeBias(Tensor b) {
            this.relativeBias = b;
            return this;
        }

        public Options keyMask(Tensor m) {
            this.keyMask = m;
            return this;
        }

        public Options keyLengths(int[] l) {
            this.keyLengths = l;
            return this;
        }
    }

    /**
     * out[B, H, Lq, Dv] = attention(q[B, H, Lq, D], k[B, H, Lk, D], v[B, H, Lk, Dv]).
     * A query row whose keys are all masked yields zeros (see the class comment).
     */
    public static void sdpa(Tensor q, Tensor k, Tensor v, Tensor out, Options o) {
        sdpa(HeadView.of(q), HeadView.of(k), HeadView.of(v), HeadView.of(out), o);
    }

    /** As {@link #sdpa(Tensor, Tensor, Tensor, Tensor, Options)} on operands wherever they lie ({@link HeadView}). */
    public static void sdpa(HeadView q, HeadView k, HeadView v, HeadView out, Options o) {
        JitWarmUp.ensure();
        long t0 = System.nanoTime();
        Shape s = new Shape(q, k, v, out, o == null ? new Options() : o);
        if (s.lq == 0 || s.dv == 0) {
            return;
        }
        int blocks = (s.lq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        Parallel.forRange(s.b * s.h * blocks, 1, (from, to) -> {
            Work w = new Work(s);
            for (int item = from; item < to; item++) {
                w.run(item / blocks, item % blocks);
            }
        });
        long keys = 0;
        for (int bi = 0; bi < s.b; bi++) {
            keys += s.validKeys(bi);
        }
        KernelClock.add(KernelClock.Kernel.ATTENTION, 2L * s.h * s.lq * keys * (s.d + s.dv), t0);
    }

    /** Checked sizes of one call. */
    private static final class Shape {
        final HeadView q;
        final HeadView k;
        final HeadView v;
        final HeadView out;
        final Options o;
        final int b;
        final int h;
        final int lq;
        final int lk;
        final int d;
        final int dv;
        final float scale;

        Shape(HeadView q, HeadView k, HeadView v, HeadView out, Options o) {
            this.q = q;
            this.k = k;
            this.v = v;
            this.out = out;
            this.o = o;
            b = q.batch;
            h = q.heads;
            lq = q.length;
            d = q.dim;
            lk = k.length;
            dv = v.dim;
            if (k.batch != b || k.heads != h || k.dim != d || v.batch != b || v.heads != h || v.length != lk
                    || out.batch != b || out.heads != h || out.length != lq || out.dim != dv) {
                throw new IllegalArgumentException("sdpa: shapes do not agree: q " + q + ", k " + k + ", v " + v
                        + ", out " + out);
            }
            if (o.relativeBias != null && o.relativeBias.size() != h * (lq + lk - 1)) {
                throw new IllegalArgumentException("sdpa: relative bias " + o.relativeBias + " is not [" + h + ", "
                        + (lq + lk - 1) + "]");
            }
            if (o.keyMask != null && o.keyMask.size() != b * lk) {
                throw new IllegalArgumentException("sdpa: key mask " + o.keyMask + " is not [" + b + ", " + lk + "]");
            }
            if (o.keyLengths != null && o.keyLengths.length != b) {
                throw new IllegalArgumentException("sdpa: " + o.keyLengths.length + " key lengths for batch " + b);
            }
            scale = Float.isNaN(o.scale) ? (float) (1.0 / Math.sqrt(d)) : o.scale;
        }

        int validKeys(int bi) {
            return o.keyLengths == null ? lk : Math.max(0, Math.min(lk, o.keyLengths[bi]));
        }
    }

    /** One thread's scratch: the packed keys and values of the current (batch, head), and one query block's state. */
    private static final class Work {
        final Shape s;
        final int lanes;
        /** Micro-kernel tile width: two vectors of queries. */
        final int nr;
        final int d;
        /** The value dimension rounded up to whole 12-row slivers. */
        final int dvPad;
        /** Keys in slivers of 12, each [D][12]: key 12·i + r, feature c at kp[(i·D + c)·12 + r]; zero past the valid. */
        final float[] kp;
        /**
         * Values in slivers of 12 columns, each [keys][12]: column 12·i + r of key j at vp[(i·Lk + j)·12 + r]. Only
         * when Dv is no multiple of 12: otherwise the micro-kernel reads the 12 columns of a key in place.
         */
        final float[] vp;
        /** Where P·V reads the values of the current head: column c of key j at vs[vAt + c·vColumn + j·vKey]. */
        float[] vs;
        int vAt;
        int vColumn;
        int vKey;
        /** Qᵀ of the block, scaled: [D][QUERY_BLOCK]. */
        final float[] qt;
        /** Scores, then probabilities, of one key tile: [KEY_TILE][QUERY_BLOCK]. */
        final float[] st;
        /** Unnormalised outputs, transposed: [dvPad][QUERY_BLOCK]; and one P·V tile before it is merged into them. */
        final float[] acc;
        final float[] pv;
        /** Per query: running maximum (never below −MAX_VALUE, see {@link #softmaxColumns}), denominator, rescale factor. */
        final float[] m = new float[QUERY_BLOCK];
        final float[] l = new float[QUERY_BLOCK];
        final float[] alpha = new float[QUERY_BLOCK];
        int packed = -1;
        int valid;

        Work(Shape s) {
            this.s = s;
            lanes = SPECIES.length();
            nr = 2 * lanes;
            d = s.d;
            dvPad = roundUp(s.dv, MR);
            kp = new float[roundUp(s.lk, MR) * d];
            vp = s.dv % MR == 0 ? null : new float[s.lk * dvPad];
            qt = new float[d * QUERY_BLOCK];
            st = new float[KEY_TILE * QUERY_BLOCK];
            acc = new float[dvPad * QUERY_BLOCK];
            pv = new float[MR * nr];
        }

        void run(int bh, int block) {
            if (bh != packed) {
                pack(bh);
            }
            int q0 = block * QUERY_BLOCK;
            int rows = Math.min(QUERY_BLOCK, s.lq - q0);
            float[] oa = s.out.data;
            int bi = bh / s.h;
            int hi = bh % s.h;
            if (valid == 0) {
                for (int i = 0; i < rows; i++) {
                    int at = s.out.row(bi, hi, q0 + i);
                    Arrays.fill(oa, at, at + s.dv, 0f);
                }
                return;
            }
            int cols = roundUp(rows, nr);
            packQueries(bh, q0, rows, cols);
            Arrays.fill(m, -Float.MAX_VALUE);
            Arrays.fill(l, 0f);
            for (int j0 = 0; j0 < valid; j0 += KEY_TILE) {
                int keys = Math.min(KEY_TILE, valid - j0);
                scores(j0, keys, cols);
                addBiasAndMask(bh, q0, rows, j0, keys, cols);
                softmaxColumns(st, QUERY_BLOCK, keys, cols, m, l, alpha);
                accumulate(j0, keys, cols, j0 == 0);
            }
            for (int i = 0; i < rows; i++) {
                l[i] = l[i] == 0f ? 0f : 1f / l[i];
            }
            for (int i = 0; i < rows; i++) {
                int at = s.out.row(bi, hi, q0 + i);
                float inv = l[i];
                for (int c = 0; c < s.dv; c++) {
                    oa[at + c] = acc[c * QUERY_BLOCK + i] * inv;
                }
            }
        }

        /**
         * Packs the valid keys (12-key slivers, zero-padded) of {@code bh} and, unless they can be read in place,
         * its values (12-column slivers).
         */
        private void pack(int bh) {
            packed = bh;
            valid = s.validKeys(bh / s.h);
            float[] ka = s.k.data;
            float[] va = s.v.data;
            int bi = bh / s.h;
            int hi = bh % s.h;
            for (int key = 0; key < valid; key++) {
                int at = (key / MR) * d * MR + key % MR;
                int from = s.k.row(bi, hi, key);
                for (int c = 0; c < d; c++) {
                    kp[at + c * MR] = ka[from + c];
                }
            }
            for (int key = valid; key < roundUp(valid, MR); key++) {
                int at = (key / MR) * d * MR + key % MR;
                for (int c = 0; c < d; c++) {
                    kp[at + c * MR] = 0f;
                }
            }
            if (vp == null) {
                vs = va;
                vAt = s.v.row(bi, hi, 0);
                vColumn = 1;
                vKey = s.v.rowStride;
                return;
            }
            for (int c0 = 0; c0 < dvPad; c0 += MR) {
                int width = Math.min(MR, s.dv - c0);
                int at = c0 * s.lk;
                for (int key = 0; key < valid; key++, at += MR) {
                    System.arraycopy(va, s.v.row(bi, hi, key) + c0, vp, at, width);
                    Arrays.fill(vp, at + width, at + MR, 0f);
                }
            }
            vs = vp;
            vAt = 0;
            vColumn = s.lk;
            vKey = MR;
        }

        /** qt[c][i] = scale · q[q0 + i][c] for the block's rows, zero up to {@code cols}. */
        private void packQueries(int bh, int q0, int rows, int cols) {
            float[] qa = s.q.data;
            float scale = s.scale;
            for (int i = 0; i < rows; i++) {
                int from = s.q.row(bh / s.h, bh % s.h, q0 + i);
                for (int c = 0; c < d; c++) {
                    qt[c * QUERY_BLOCK + i] = qa[from + c] * scale;
                }
            }
            for (int c = 0; c < d; c++) {
                Arrays.fill(qt, c * QUERY_BLOCK + rows, c * QUERY_BLOCK + cols, 0f);
            }
        }

        /** st[j][i] = k_(j0+j) · (scale·q_i) for the tile's keys (in groups of 12) and the block's columns. */
        private void scores(int j0, int keys, int cols) {
            for (int j = 0; j < keys; j += MR) {
                int ko = (j0 + j) * d;
                for (int i = 0; i < cols; i += nr) {
                    GemmMicroKernel.tile(d, kp, ko, MR, qt, i, QUERY_BLOCK, st, j * QUERY_BLOCK + i,
                            QUERY_BLOCK);
                }
            }
        }

        private void addBiasAndMask(int bh, int q0, int rows, int j0, int keys, int cols) {
            Options o = s.o;
            if (o.relativeBias != null) {
                float[] bias = o.relativeBias.data();
                // key j0 + j over queries q0 + i reads offsets q0 − j0 − j + i + Lk − 1: one run per key
                int base = o.relativeBias.offset() + (bh % s.h) * (s.lq + s.lk - 1) + q0 - j0 + s.lk - 1;
                for (int j = 0; j < keys; j++) {
                    addRun(j * QUERY_BLOCK, rows, bias, base - j);
                }
            }
            if (o.keyMask != null) {
                float[] mask = o.keyMask.data();
                int base = o.keyMask.offset() + (bh / s.h) * s.lk + j0;
                for (int j = 0; j < keys; j++) {
                    addToRow(j * QUERY_BLOCK, cols, mask[base + j]);
                }
            }
        }

        /** st[at + i] += a[from + i] for i below {@code rows} (the columns past them are never read). */
        private void addRun(int at, int rows, float[] a, int from) {
            int i = 0;
            for (; i <= rows - lanes; i += lanes) {
                FloatVector.fromArray(SPECIES, st, at + i).add(FloatVector.fromArray(SPECIES, a, from + i))
                        .intoArray(st, at + i);
            }
            for (; i < rows; i++) {
                st[at + i] += a[from + i];
            }
        }

        private void addToRow(int at, int cols, float x) {
            for (int i = 0; i < cols; i += lanes) {
                FloatVector t = FloatVector.fromArray(SPECIES, st, at + i);
                t.add(x).intoArray(st, at + i);
            }
        }

        /**
         * accᵀ[c][i] = alpha_i·accᵀ[c][i] + Σ_j v[j0 + j][c]·p[j][i]: 12 value columns (broadcast) × two vectors of
         * queries per micro-kernel tile, the probabilities read in place from st. The first key tile writes accᵀ
         * directly (there is nothing to rescale).
         */
        private void accumulate(int j0, int keys, int cols, boolean first) {
            for (int c = 0; c < dvPad; c += MR) {
                int vo = vAt + c * vColumn + j0 * vKey;
                for (int i = 0; i < cols; i += nr) {
                    if (first) {
                        GemmMicroKernel.tile(keys, vs, vo, vKey, st, i, QUERY_BLOCK, acc, c * QUERY_BLOCK + i,
                                QUERY_BLOCK);
                    } else {
                        GemmMicroKernel.tile(keys, vs, vo, vKey, st, i, QUERY_BLOCK, pv, 0, nr);
                        rescaleAndAdd(c * QUERY_BLOCK + i);
                    }
                }
            }
        }

        /** accᵀ[c + r][i ..] = alpha[i ..]·accᵀ[c + r][i ..] + pv[r] for the 12 rows of one P·V tile at {@code at}. */
        private void rescaleAndAdd(int at) {
            int i = at % QUERY_BLOCK;
            for (int r = 0; r < MR; r++) {
                for (int x = 0; x < nr; x += lanes) {
                    int a = at + r * QUERY_BLOCK + x;
                    FloatVector.fromArray(SPECIES, acc, a).fma(FloatVector.fromArray(SPECIES, alpha, i + x),
                            FloatVector.fromArray(SPECIES, pv, r * nr + x)).intoArray(acc, a);
                }
            }
        }
    }

    /**
     * The online softmax of one key tile, a vector of queries (columns of {@code st}, rows {@code stride} apart) at
     * a time: the new running maximum m' over the tile's keys, p = e^(score − m') in place, alpha = e^(m − m'),
     * l = alpha·l + Σ p (summed over the keys in order), m = m'. The maximum starts at −MAX_VALUE or above, so a
     * query whose logits are all −∞ gets p = 0 (and l = 0) instead of e^(−∞ + ∞) = NaN. Maximum and sum stay in
     * registers. One static method, compiled whole by {@link JitWarmUp} before the first real call.
     */
    static void softmaxColumns(float[] st, int stride, int keys, int cols, float[] m, float[] l, float[] alpha) {
        int lanes = SPECIES.length();
        for (int i = 0; i < cols; i += lanes) {
            FloatVector mOld = FloatVector.fromArray(SPECIES, m, i);
            FloatVector mx = mOld;
            for (int j = 0, at = i; j < keys; j++, at += stride) {
                mx = mx.max(FloatVector.fromArray(SPECIES, st, at));
            }
            FloatVector sum = mx.broadcast(0f);
            for (int j = 0, at = i; j < keys; j++, at += stride) {
                FloatVector p = VMath.exp(FloatVector.fromArray(SPECIES, st, at).sub(mx));
                p.intoArray(st, at);
                sum = sum.add(p);
            }
            FloatVector a = VMath.exp(mOld.sub(mx));
            a.intoArray(alpha, i);
            FloatVector.fromArray(SPECIES, l, i).fma(a, sum).intoArray(l, i);
            mx.intoArray(m, i);
        }
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }
}
