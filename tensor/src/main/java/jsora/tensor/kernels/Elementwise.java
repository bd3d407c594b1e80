package jsora.tensor.kernels;

import jsora.tensor.Tensor;

/** Pointwise arithmetic with broadcasting of a smaller operand over leading axes. {@code out} may alias inputs. */
public final class Elementwise {
    private Elementwise() {
    }

    /** out = a + b, where b's size divides a's and b repeats over a's leading axes (e.g. a bias row). */
    public static void add(Tensor a, Tensor b, Tensor out) {
        int n = a.size();
        int m = b.size();
        check(n, m);
        float[] aa = a.data();
        float[] ba = b.data();
        float[] oa = out.data();
        for (int i = 0; i < n; i++) {
            oa[out.offset() + i] = aa[a.offset() + i] + ba[b.offset() + i % m];
        }
    }

    /** out = a * b with the same broadcasting as {@link #add}. */
    public static void mul(Tensor a, Tensor b, Tensor out) {
        int n = a.size();
        int m = b.size();
        check(n, m);
        float[] aa = a.data();
        float[] ba = b.data();
        float[] oa = out.data();
        for (int i = 0; i < n; i++) {
            oa[out.offset() + i] = aa[a.offset() + i] * ba[b.offset() + i % m];
        }
    }

    /** out = a * s. */
    public static void scale(Tensor a, float s, Tensor out) {
        for (int i = 0; i < a.size(); i++) {
            out.data()[out.offset() + i] = a.data()[a.offset() + i] * s;
        }
    }

    /** out = x·(1 + scale) + shift, scale and shift [C] repeating over x's leading axes (DiT's modulate). */
    public static void scaleShift(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        int n = x.size();
        int c = scale.size();
        check(n, c);
        for (int i = 0; i < n; i++) {
            int j = i % c;
            out.data()[out.offset() + i] = x.data()[x.offset() + i] * (1f + scale.data()[scale.offset() + j])
                    + shift.data()[shift.offset() + j];
        }
    }

    /** out = a + gate·b, gate [C] repeating over leading axes (DiT's gated residual). */
    public static void addGated(Tensor a, Tensor gate, Tensor b, Tensor out) {
        int n = a.size();
        int c = gate.size();
        check(n, c);
        for (int i = 0; i < n; i++) {
            out.data()[out.offset() + i] = a.data()[a.offset() + i]
                    + gate.data()[gate.offset() + i % c] * b.data()[b.offset() + i];
        }
    }

    private static void check(int n, int m) {
        if (m == 0 || n % m != 0) {
            throw new IllegalArgumentException("cannot broadcast " + m + " elements over " + n);
        }
    }
}
