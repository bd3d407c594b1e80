package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Pointwise arithmetic with broadcasting of a smaller operand over leading axes: an operand of m elements repeats
 * every m elements of the n-element first operand (m must divide n). {@code out} may alias inputs. Exact to float
 * rounding (addGated uses one fused multiply-add).
 */
public final class Elementwise {
    private Elementwise() {
    }

    private enum Op { ADD, MUL, SCALE_SHIFT, ADD_GATED }

    /** Elements per parallel task: this work is memory-bound, so only large tensors are split. */
    private static final int GRAIN = 1 << 15;

    /** out = a + b, where b's size divides a's and b repeats over a's leading axes (e.g. a bias row). */
    public static void add(Tensor a, Tensor b, Tensor out) {
        run(Op.ADD, a, b, null, out, 0f);
    }

    /** out = a * b with the same broadcasting as {@link #add}. */
    public static void mul(Tensor a, Tensor b, Tensor out) {
        run(Op.MUL, a, b, null, out, 0f);
    }

    /** out = a * s. */
    public static void scale(Tensor a, float s, Tensor out) {
        run(Op.MUL, a, null, null, out, s);
    }

    /** out = x·(1 + scale) + shift, scale and shift [C] repeating over x's leading axes (DiT's modulate). */
    public static void scaleShift(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        if (shift.size() != scale.size()) {
            throw new IllegalArgumentException("scaleShift: scale " + scale + " and shift " + shift + " differ");
        }
        run(Op.SCALE_SHIFT, x, scale, shift, out, 0f);
    }

    /** out = a + gate·b, gate [C] repeating over leading axes (DiT's gated residual); b has a's size. */
    public static void addGated(Tensor a, Tensor gate, Tensor b, Tensor out) {
        if (b.size() != a.size()) {
            throw new IllegalArgumentException("addGated: " + b + " does not match " + a);
        }
        run(Op.ADD_GATED, a, gate, b, out, 0f);
    }

    /**
     * out[i] = op(a[i], p[i mod m], q[...]) where p is the broadcast operand (null: the constant {@code s}) and q
     * is scaleShift's shift (indexed like p) or addGated's b (indexed like a).
     */
    private static void run(Op op, Tensor a, Tensor p, Tensor q, Tensor out, float s) {
        int n = a.size();
        int m = p == null ? n : p.size();
        if (m == 0 ? n != 0 : n % m != 0) {
            throw new IllegalArgumentException("cannot broadcast " + p + " over " + a);
        }
        if (out.size() != n) {
            throw new IllegalArgumentException("output " + out + " does not match " + a);
        }
        if (n == 0) {
            return;
        }
        Parallel.forRange((n + GRAIN - 1) / GRAIN, 1, (c0, c1) -> {
            int end = Math.min(n, c1 * GRAIN);
            for (int i = c0 * GRAIN; i < end; ) {
                int j = i % m;
                int len = Math.min(end - i, m - j);
                segment(op, a, p, q, out, s, i, j, len);
                i += len;
            }
        });
    }

    /** Elements [i, i+len) of a and out against [j, j+len) of the broadcast operands. */
    private static void segment(Op op, Tensor a, Tensor p, Tensor q, Tensor out, float s,
            int i, int j, int len) {
        float[] aa = a.data();
        float[] pa = p == null ? null : p.data();
        float[] qa = q == null ? null : q.data();
        float[] oa = out.data();
        int ao = a.offset() + i;
        int po = p == null ? 0 : p.offset() + j;
        int qo = q == null ? 0 : q.offset() + (op == Op.ADD_GATED ? i : j);
        int oo = out.offset() + i;
        int lanes = SPECIES.length();
        int k = 0;
        for (; k <= len - lanes; k += lanes) {
            FloatVector x = FloatVector.fromArray(SPECIES, aa, ao + k);
            FloatVector pv = pa == null ? x.broadcast(s) : FloatVector.fromArray(SPECIES, pa, po + k);
            FloatVector r;
            switch (op) {
                case ADD:
                    r = x.add(pv);
                    break;
                case MUL:
                    r = x.mul(pv);
                    break;
                case SCALE_SHIFT:
                    r = x.mul(pv.add(1f)).add(FloatVector.fromArray(SPECIES, qa, qo + k));
                    break;
                default:
                    r = pv.fma(FloatVector.fromArray(SPECIES, qa, qo + k), x);
            }
            r.intoArray(oa, oo + k);
        }
        for (; k < len; k++) {
            float x = aa[ao + k];
            float pv = pa == null ? s : pa[po + k];
            float r;
            switch (op) {
                case ADD:
                    r = x + pv;
                    break;
                case MUL:
                    r = x * pv;
                    break;
                case SCALE_SHIFT:
                    r = x * (pv + 1f) + qa[qo + k];
                    break;
                default:
                    r = Math.fma(pv, qa[qo + k], x);
            }
            oa[oo + k] = r;
        }
    }
}
