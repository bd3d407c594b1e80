package jsora.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Scaled dot-product attention, {@code softmax(q·kᵀ·scale + bias + mask)·v}, over [B, H, L, D] tensors.
 *
 * <p>Memory-efficient (the FlashAttention recurrence): each task takes a block of {@value #QUERY_BLOCK} query rows
 * of one (batch, head) and walks the keys in tiles of {@value #KEY_TILE}, keeping per row the running maximum m,
 * the running denominator l and an unnormalised output; a new tile with maximum m' rescales both by e^(m − m').
 * Only a query-block × key-tile score buffer exists at any time. Keys are packed per (batch, head) once, transposed
 * so that q·kᵀ is a register-tiled outer product (4 query rows × 2 vectors of keys), and p·v is tiled 4 rows × 4
 * vectors of the value dimension. Every row's arithmetic is the same whatever the task split, so results are
 * bit-identical for any thread count.
 *
 * <p>Fully masked rows: a query row whose keys are all excluded — key length 0, or every logit −∞ (e.g. an additive
 * mask of −∞) — yields zeros (PyTorch would give NaN for the −∞ case). A finite mask such as
 * {@code -Float.MAX_VALUE} (HF's {@code finfo.min}) behaves as in PyTorch: when all keys of a row carry it, their
 * logits round to the same value and the row becomes the plain average of the values.
 */
public final class Attention {
    private Attention() {
    }

    /** Query rows per task (a multiple of the 4-row register tile). */
    static final int QUERY_BLOCK = 64;
    /** Keys per online-softmax step (a multiple of two vectors at every width up to 512 bits). */
    static final int KEY_TILE = 128;

    /** What to add to the logits and how to scale them. */
    public static final class Options {
        /** Logit scale; 1/√D by default. T5 uses 1. NaN means 1/√D. */
        public float scale = Float.NaN;
        /** Additive bias [H, Lq, Lk] shared over the batch (T5's position bias), or null. */
        public Tensor bias;
        /** Additive mask [B, Lk] over keys, or null. */
        public Tensor keyMask;
        /** Per-batch number of valid keys (keys at or past it are ignored), or null. */
        public int[] keyLengths;

        public Options scale(float s) {
            this.scale = s;
            return this;
        }

        public Options bias(Tensor b) {
            this.bias = b;
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
        sdpa(Simd.species(), q, k, v, out, o);
    }

    public static void sdpa(VectorSpecies<Float> sp, Tensor q, Tensor k, Tensor v, Tensor out, Options o) {
        Shape s = new Shape(sp, q, k, v, out, o == null ? new Options() : o);
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
    }

    /** Checked sizes of one call. */
    private static final class Shape {
        final VectorSpecies<Float> sp;
        final Tensor q;
        final Tensor k;
        final Tensor v;
        final Tensor out;
        final Options o;
        final int b;
        final int h;
        final int lq;
        final int lk;
        final int d;
        final int dv;
        final float scale;

        Shape(VectorSpecies<Float> sp, Tensor q, Tensor k, Tensor v, Tensor out, Options o) {
            this.sp = sp;
            this.q = q;
            this.k = k;
            this.v = v;
            this.out = out;
            this.o = o;
            if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4 || out.rank() != 4) {
                throw new IllegalArgumentException("sdpa: q, k, v, out must be [B, H, L, D], got " + q + ", " + k
                        + ", " + v + ", " + out);
            }
            b = q.dim(0);
            h = q.dim(1);
            lq = q.dim(2);
            d = q.dim(3);
            lk = k.dim(2);
            dv = v.dim(3);
            if (k.dim(0) != b || k.dim(1) != h || k.dim(3) != d || v.dim(0) != b || v.dim(1) != h || v.dim(2) != lk
                    || out.dim(0) != b || out.dim(1) != h || out.dim(2) != lq || out.dim(3) != dv) {
                throw new IllegalArgumentException("sdpa: shapes do not agree: q " + q + ", k " + k + ", v " + v
                        + ", out " + out);
            }
            if (o.bias != null && o.bias.size() != h * lq * lk) {
                throw new IllegalArgumentException("sdpa: bias " + o.bias + " is not [" + h + ", " + lq + ", " + lk + "]");
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

    /** One thread's scratch: packed keys and values of the current (batch, head), and one query block's state. */
    private static final class Work {
        final Shape s;
        final VectorSpecies<Float> sp;
        final int lanes;
        final int d;
        final int dvPad;
        /** Key tiles, each [D][tile width], the keys of a tile contiguous per feature. */
        final float[] kt;
        /** Values [keys][dvPad], zero beyond the valid keys and beyond Dv. */
        final float[] vp;
        final float[] qs;
        final float[] scores;
        final float[] acc;
        final float[] m = new float[QUERY_BLOCK];
        final float[] l = new float[QUERY_BLOCK];
        final float[] alpha = new float[QUERY_BLOCK];
        final float[] lanesBuf = new float[64];
        int packed = -1;
        int valid;
        int validPad;

        Work(Shape s) {
            this.s = s;
            sp = s.sp;
            lanes = sp.length();
            d = s.d;
            dvPad = roundUp(s.dv, lanes);
            int keysPad = roundUp(s.lk, 2 * lanes);
            kt = new float[keysPad * d];
            vp = new float[keysPad * dvPad];
            qs = new float[QUERY_BLOCK * d];
            scores = new float[QUERY_BLOCK * KEY_TILE];
            acc = new float[QUERY_BLOCK * dvPad];
        }

        void run(int bh, int block) {
            if (bh != packed) {
                pack(bh);
            }
            int q0 = block * QUERY_BLOCK;
            int rows = Math.min(QUERY_BLOCK, s.lq - q0);
            int rows4 = roundUp(rows, 4);
            float[] oa = s.out.data();
            int outAt = s.out.offset() + (bh * s.lq + q0) * s.dv;
            if (valid == 0) {
                Arrays.fill(oa, outAt, outAt + rows * s.dv, 0f);
                return;
            }
            System.arraycopy(s.q.data(), s.q.offset() + (bh * s.lq + q0) * d, qs, 0, rows * d);
            Arrays.fill(qs, rows * d, rows4 * d, 0f);
            Arrays.fill(m, Float.NEGATIVE_INFINITY);
            Arrays.fill(l, 0f);
            Arrays.fill(acc, 0, rows4 * dvPad, 0f);
            for (int j0 = 0; j0 < validPad; j0 += KEY_TILE) {
                int tw = Math.min(KEY_TILE, validPad - j0);
                scores(rows4, j0, tw);
                for (int r = 0; r < rows4; r++) {
                    softmaxStep(bh, q0, r, r < rows, j0, tw);
                }
                // keys past the valid ones have p = 0 and zero values: skipping them changes no sum
                accumulate(rows4, j0, Math.min(tw, valid - j0));
            }
            for (int r = 0; r < rows; r++) {
                int at = outAt + r * s.dv;
                if (l[r] == 0f) {
                    Arrays.fill(oa, at, at + s.dv, 0f);
                } else {
                    float inv = 1f / l[r];
                    for (int c = 0; c < s.dv; c++) {
                        oa[at + c] = acc[r * dvPad + c] * inv;
                    }
                }
            }
        }

        /** Packs the valid keys (transposed, per tile) and values of (batch, head) {@code bh}. */
        private void pack(int bh) {
            packed = bh;
            valid = s.validKeys(bh / s.h);
            validPad = roundUp(valid, 2 * lanes);
            float[] ka = s.k.data();
            float[] va = s.v.data();
            int kBase = s.k.offset() + bh * s.lk * d;
            int vBase = s.v.offset() + bh * s.lk * s.dv;
            for (int j0 = 0; j0 < validPad; j0 += KEY_TILE) {
                int tw = Math.min(KEY_TILE, validPad - j0);
                int tile = j0 * d;
                for (int j = 0; j < tw; j++) {
                    int key = j0 + j;
                    if (key < valid) {
                        for (int c = 0; c < d; c++) {
                            kt[tile + c * tw + j] = ka[kBase + key * d + c];
                        }
                    } else {
                        for (int c = 0; c < d; c++) {
                            kt[tile + c * tw + j] = 0f;
                        }
                    }
                }
            }
            for (int key = 0; key < validPad; key++) {
                int at = key * dvPad;
                if (key < valid) {
                    System.arraycopy(va, vBase + key * s.dv, vp, at, s.dv);
                    Arrays.fill(vp, at + s.dv, at + dvPad, 0f);
                } else {
                    Arrays.fill(vp, at, at + dvPad, 0f);
                }
            }
        }

        /**
         * scores[r][j] = scale · q_r · k_(j0+j) for all rows and the tile's keys, one 4-row × 2-vector register tile
         * per call. (Kernels with vectors live across a loop are kept to small methods called often: the JIT then
         * compiles them whole early; a long-running loop compiled on-stack-replacement boxes those vectors.)
         */
        private void scores(int rows4, int j0, int tw) {
            int tile = j0 * d;
            for (int g = 0; g < rows4; g += 4) {
                for (int jv = 0; jv < tw; jv += 2 * lanes) {
                    scoreTile(g * d, tile + jv, tw, g * KEY_TILE + jv);
                }
            }
        }

        /** The tile of rows qs[qa..] × 2 key vectors at kt[kb..] (row stride tw) into scores[so..]. */
        private void scoreTile(int qa, int kb, int tw, int so) {
            float scale = s.scale;
            int qb = qa + d;
            int qc = qb + d;
            int qd = qc + d;
            FloatVector a0 = VMath.zero(sp);
            FloatVector a1 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            FloatVector c0 = a0;
            FloatVector c1 = a0;
            FloatVector d0 = a0;
            FloatVector d1 = a0;
            for (int c = 0; c < d; c++) {
                int ko = kb + c * tw;
                FloatVector k0 = FloatVector.fromArray(sp, kt, ko);
                FloatVector k1 = FloatVector.fromArray(sp, kt, ko + lanes);
                FloatVector x = k0.broadcast(qs[qa + c]);
                a0 = k0.fma(x, a0);
                a1 = k1.fma(x, a1);
                x = k0.broadcast(qs[qb + c]);
                b0 = k0.fma(x, b0);
                b1 = k1.fma(x, b1);
                x = k0.broadcast(qs[qc + c]);
                c0 = k0.fma(x, c0);
                c1 = k1.fma(x, c1);
                x = k0.broadcast(qs[qd + c]);
                d0 = k0.fma(x, d0);
                d1 = k1.fma(x, d1);
            }
            a0.mul(scale).intoArray(scores, so);
            a1.mul(scale).intoArray(scores, so + lanes);
            b0.mul(scale).intoArray(scores, so + KEY_TILE);
            b1.mul(scale).intoArray(scores, so + KEY_TILE + lanes);
            c0.mul(scale).intoArray(scores, so + 2 * KEY_TILE);
            c1.mul(scale).intoArray(scores, so + 2 * KEY_TILE + lanes);
            d0.mul(scale).intoArray(scores, so + 3 * KEY_TILE);
            d1.mul(scale).intoArray(scores, so + 3 * KEY_TILE + lanes);
        }

        /**
         * Adds bias and mask to row r's scores, masks padding keys, and turns the scores into e^(score − m') with
         * m' the new running maximum; sets alpha[r] = e^(m − m') and updates l. Padding rows get p = 0.
         */
        private void softmaxStep(int bh, int q0, int r, boolean real, int j0, int tw) {
            int so = r * KEY_TILE;
            if (!real) {
                Arrays.fill(scores, so, so + tw, 0f);
                alpha[r] = 0f;
                return;
            }
            int live = Math.min(tw, valid - j0);
            Options o = s.o;
            if (o.bias != null) {
                addRow(o.bias.data(), o.bias.offset() + ((bh % s.h) * s.lq + q0 + r) * s.lk + j0, so, live);
            }
            if (o.keyMask != null) {
                addRow(o.keyMask.data(), o.keyMask.offset() + (bh / s.h) * s.lk + j0, so, live);
            }
            Arrays.fill(scores, so + live, so + tw, Float.NEGATIVE_INFINITY);
            float tileMax = RowOps.max(sp, scores, so, tw);
            float mNew = Math.max(m[r], tileMax);
            if (mNew == Float.NEGATIVE_INFINITY) {
                Arrays.fill(scores, so, so + tw, 0f);
                alpha[r] = 1f;
                return;
            }
            FloatVector sum = VMath.zero(sp);
            for (int j = 0; j < tw; j += lanes) {
                FloatVector p = VMath.exp(FloatVector.fromArray(sp, scores, so + j).sub(mNew));
                p.intoArray(scores, so + j);
                sum = sum.add(p);
            }
            alpha[r] = (float) Math.exp(m[r] - mNew);
            sum.intoArray(lanesBuf, 0);
            l[r] = l[r] * alpha[r] + RowOps.sumLanes(lanesBuf, lanes);
            m[r] = mNew;
        }

        private void addRow(float[] src, int from, int so, int n) {
            int j = 0;
            for (; j <= n - lanes; j += lanes) {
                FloatVector.fromArray(sp, scores, so + j).add(FloatVector.fromArray(sp, src, from + j))
                        .intoArray(scores, so + j);
            }
            for (; j < n; j++) {
                scores[so + j] += src[from + j];
            }
        }

        /** acc[r] = alpha[r]·acc[r] + Σ_j p[r][j]·v[j0 + j]: 4 rows × 4 vectors, then 4 rows × 1 vector. */
        private void accumulate(int rows4, int j0, int tw) {
            int wide = 4 * lanes;
            for (int g = 0; g < rows4; g += 4) {
                int c = 0;
                for (; c + wide <= dvPad; c += wide) {
                    accumulate4x4(g, c, j0, tw);
                }
                for (; c < dvPad; c += lanes) {
                    accumulate4x1(g, c, j0, tw);
                }
            }
        }

        private void accumulate4x4(int g, int c, int j0, int tw) {
            int ra = g * dvPad + c;
            int rb = ra + dvPad;
            int rc = rb + dvPad;
            int rd = rc + dvPad;
            int n = lanes;
            FloatVector a0 = FloatVector.fromArray(sp, acc, ra).mul(alpha[g]);
            FloatVector a1 = FloatVector.fromArray(sp, acc, ra + n).mul(alpha[g]);
            FloatVector a2 = FloatVector.fromArray(sp, acc, ra + 2 * n).mul(alpha[g]);
            FloatVector a3 = FloatVector.fromArray(sp, acc, ra + 3 * n).mul(alpha[g]);
            FloatVector b0 = FloatVector.fromArray(sp, acc, rb).mul(alpha[g + 1]);
            FloatVector b1 = FloatVector.fromArray(sp, acc, rb + n).mul(alpha[g + 1]);
            FloatVector b2 = FloatVector.fromArray(sp, acc, rb + 2 * n).mul(alpha[g + 1]);
            FloatVector b3 = FloatVector.fromArray(sp, acc, rb + 3 * n).mul(alpha[g + 1]);
            FloatVector c0 = FloatVector.fromArray(sp, acc, rc).mul(alpha[g + 2]);
            FloatVector c1 = FloatVector.fromArray(sp, acc, rc + n).mul(alpha[g + 2]);
            FloatVector c2 = FloatVector.fromArray(sp, acc, rc + 2 * n).mul(alpha[g + 2]);
            FloatVector c3 = FloatVector.fromArray(sp, acc, rc + 3 * n).mul(alpha[g + 2]);
            FloatVector d0 = FloatVector.fromArray(sp, acc, rd).mul(alpha[g + 3]);
            FloatVector d1 = FloatVector.fromArray(sp, acc, rd + n).mul(alpha[g + 3]);
            FloatVector d2 = FloatVector.fromArray(sp, acc, rd + 2 * n).mul(alpha[g + 3]);
            FloatVector d3 = FloatVector.fromArray(sp, acc, rd + 3 * n).mul(alpha[g + 3]);
            int pa = g * KEY_TILE;
            int vo = j0 * dvPad + c;
            for (int j = 0; j < tw; j++, vo += dvPad) {
                FloatVector v0 = FloatVector.fromArray(sp, vp, vo);
                FloatVector v1 = FloatVector.fromArray(sp, vp, vo + n);
                FloatVector v2 = FloatVector.fromArray(sp, vp, vo + 2 * n);
                FloatVector v3 = FloatVector.fromArray(sp, vp, vo + 3 * n);
                FloatVector p = v0.broadcast(scores[pa + j]);
                a0 = v0.fma(p, a0);
                a1 = v1.fma(p, a1);
                a2 = v2.fma(p, a2);
                a3 = v3.fma(p, a3);
                p = v0.broadcast(scores[pa + KEY_TILE + j]);
                b0 = v0.fma(p, b0);
                b1 = v1.fma(p, b1);
                b2 = v2.fma(p, b2);
                b3 = v3.fma(p, b3);
                p = v0.broadcast(scores[pa + 2 * KEY_TILE + j]);
                c0 = v0.fma(p, c0);
                c1 = v1.fma(p, c1);
                c2 = v2.fma(p, c2);
                c3 = v3.fma(p, c3);
                p = v0.broadcast(scores[pa + 3 * KEY_TILE + j]);
                d0 = v0.fma(p, d0);
                d1 = v1.fma(p, d1);
                d2 = v2.fma(p, d2);
                d3 = v3.fma(p, d3);
            }
            a0.intoArray(acc, ra);
            a1.intoArray(acc, ra + n);
            a2.intoArray(acc, ra + 2 * n);
            a3.intoArray(acc, ra + 3 * n);
            b0.intoArray(acc, rb);
            b1.intoArray(acc, rb + n);
            b2.intoArray(acc, rb + 2 * n);
            b3.intoArray(acc, rb + 3 * n);
            c0.intoArray(acc, rc);
            c1.intoArray(acc, rc + n);
            c2.intoArray(acc, rc + 2 * n);
            c3.intoArray(acc, rc + 3 * n);
            d0.intoArray(acc, rd);
            d1.intoArray(acc, rd + n);
            d2.intoArray(acc, rd + 2 * n);
            d3.intoArray(acc, rd + 3 * n);
        }

        private void accumulate4x1(int g, int c, int j0, int tw) {
            int ra = g * dvPad + c;
            int rb = ra + dvPad;
            int rc = rb + dvPad;
            int rd = rc + dvPad;
            FloatVector a = FloatVector.fromArray(sp, acc, ra).mul(alpha[g]);
            FloatVector b = FloatVector.fromArray(sp, acc, rb).mul(alpha[g + 1]);
            FloatVector cc = FloatVector.fromArray(sp, acc, rc).mul(alpha[g + 2]);
            FloatVector dd = FloatVector.fromArray(sp, acc, rd).mul(alpha[g + 3]);
            int pa = g * KEY_TILE;
            int vo = j0 * dvPad + c;
            for (int j = 0; j < tw; j++, vo += dvPad) {
                FloatVector x = FloatVector.fromArray(sp, vp, vo);
                a = x.fma(x.broadcast(scores[pa + j]), a);
                b = x.fma(x.broadcast(scores[pa + KEY_TILE + j]), b);
                cc = x.fma(x.broadcast(scores[pa + 2 * KEY_TILE + j]), cc);
                dd = x.fma(x.broadcast(scores[pa + 3 * KEY_TILE + j]), dd);
            }
            a.intoArray(acc, ra);
            b.intoArray(acc, rb);
            cc.intoArray(acc, rc);
            dd.intoArray(acc, rd);
        }
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }
}
