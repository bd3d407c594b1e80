package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;

/** Vectorised reductions and scalings over a contiguous run of floats, shared by the row-wise kernels. */
final class RowOps {
    private RowOps() {
    }

    /** Floats summed in float lanes before the partial sum moves to a double, bounding the float error. */
    private static final int BLOCK = 1024;

    /**
     * Sum of {@code buf[0..n)} in order: a vector's lanes, stored by the caller (the Vector API leaves the order of
     * a float reduction unspecified, and its intrinsic and fallback code need not agree). Callers store the vector
     * themselves because a vector passed to a method the JIT does not inline is boxed.
     */
    static float sumLanes(float[] buf, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += buf[i];
        }
        return s;
    }

    /** Largest of {@code a[off..off+n)}; −∞ for n = 0. */
    static float max(float[] a, int off, int n) {
        int lanes = SPECIES.length();
        FloatVector m = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            m = m.max(FloatVector.fromArray(SPECIES, a, off + i));
        }
        // the lanes are stored and compared in Java: a MAX reduction does not compile for SVE on JDK 17
        float[] buf = new float[lanes];
        m.intoArray(buf, 0);
        float r = Float.NEGATIVE_INFINITY;
        for (float b : buf) {
            r = Math.max(r, b);
        }
        for (; i < n; i++) {
            r = Math.max(r, a[off + i]);
        }
        return r;
    }

    /** Σ (a[i] − shift)², or Σ (a[i] − shift) when {@code square} is false; float lanes per block, blocks in double. */
    static double sum(float[] a, int off, int n, float shift, boolean square) {
        double total = 0;
        float[] buf = new float[SPECIES.length()];
        for (int b = 0; b < n; b += BLOCK) {
            total += blockSum(a, off + b, Math.min(BLOCK, n - b), shift, square, buf);
        }
        return total;
    }

    /**
     * One block of {@link #sum}. A method per block (rather than one loop over all blocks) keeps the vector
     * accumulator's loop in a method the JIT sees called often, so it compiles it whole instead of boxing the
     * accumulator in an on-stack-replacement loop.
     */
    private static double blockSum(float[] a, int off, int n, float shift, boolean square,
            float[] buf) {
        int lanes = SPECIES.length();
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, off + i).sub(shift);
            acc = square ? v.fma(v, acc) : acc.add(v);
        }
        acc.intoArray(buf, 0);
        double part = sumLanes(buf, lanes);
        for (; i < n; i++) {
            float v = a[off + i] - shift;
            part += square ? (double) v * v : v;
        }
        return part;
    }

    /** a[off..off+n) *= s. */
    static void scale(float[] a, int off, int n, float s) {
        int lanes = SPECIES.length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector.fromArray(SPECIES, a, off + i).mul(s).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] *= s;
        }
    }
}
