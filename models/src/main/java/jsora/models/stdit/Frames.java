package jsora.models.stdit;

import jsora.tensor.Parallel;
import jsora.tensor.Tensor;

/** Layout changes between frame-major tokens [B, T, S, C] (STDiT's "B (T S) C") and [B, S, T, C] ("(B S) T C"). */
final class Frames {
    private Frames() {
    }

    /** A new [B, Q, P, C] from x [B, P, Q, C] (axes 1 and 2 swapped). */
    static Tensor swap(Tensor x, int p, int q) {
        int b = x.dim(0);
        int c = x.dim(-1);
        if (x.size() != b * p * q * c) {
            throw new IllegalArgumentException("cannot view " + x + " as [" + b + ", " + p + ", " + q + ", " + c + "]");
        }
        Tensor out = Tensor.zeros(b, q, p, c);
        float[] src = x.data();
        float[] dst = out.data();
        Parallel.forEach(b * p, r -> {
            int bi = r / p;
            int pi = r % p;
            for (int qi = 0; qi < q; qi++) {
                System.arraycopy(src, x.offset() + (r * q + qi) * c, dst, ((bi * q + qi) * p + pi) * c, c);
            }
        });
        return out;
    }
}
