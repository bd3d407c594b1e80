package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;

/**
 * Pointwise activations; {@code out} may be {@code x}. All three are written as x·σ(z) or x·Φ(x) with the
 * polynomial exp of {@link VMath}, so none subtracts nearly equal numbers: the relative error is below 1e-6 where
 * the result is not tiny (measured in ActivationsTest), and results do not depend on the thread count or on where a
 * vector boundary falls.
 */
public final class Activations {
    private Activations() {
    }

    /** One activation over n elements, n a multiple of the lane count. */
    @FunctionalInterface
    private interface Loop {
        void run(float[] x, int xo, float[] o, int oo, int n);
    }

    /** Elements per parallel task (a multiple of every lane count): only large tensors are split. */
    private static final int GRAIN = 1 << 15;

    /**
     * GELU with the tanh approximation (HF {@code gelu_new}, PyTorch {@code approximate="tanh"}). Computed as x·σ(2u), u = √(2/π)·(x + 0.044715x³), which equals ½x(1 + tanh u) exactly and avoids the
     * cancellation of 1 + tanh u for negative x.
     */
    public static void geluTanh(Tensor x, Tensor out) {
        apply(Activations::geluTanhLoop, x, out);
    }

    /**
     * Exact GELU, x·Φ(x) with the error function (PyTorch's default {@code nn.GELU()}). Φ(x) = 1 − ½erfc(x/√2) for
     * x ≥ 0 and ½erfc(|x|/√2) for x < 0, erfc from {@link VMath#erfcT} and {@link VMath#erfcExponent}.
     */
    public static void gelu(Tensor x, Tensor out) {
        apply(Activations::geluLoop, x, out);
    }

    /** SiLU, x·sigmoid(x). */
    public static void silu(Tensor x, Tensor out) {
        apply(Activations::siluLoop, x, out);
    }

    /**
     * Runs {@code loop} over chunks of the tensor. Each activation's loop is reached through this interface call,
     * so the JIT compiles it on its own: inlined together, the three are more than it keeps intrinsic.
     */
    private static void apply(Loop loop, Tensor x, Tensor out) {
        if (out.size() != x.size()) {
            throw new IllegalArgumentException("activation: output " + out + " does not match input " + x);
        }
        int n = x.size();
        Parallel.forRange((n + GRAIN - 1) / GRAIN, 1, (c0, c1) -> {
            float[] xa = x.data();
            float[] oa = out.data();
            int from = c0 * GRAIN;
            int to = Math.min(n, c1 * GRAIN);
            int whole = from + (to - from) / SPECIES.length() * SPECIES.length();
            loop.run(xa, x.offset() + from, oa, out.offset() + from, whole - from);
            if (whole < to) {
                // the tail goes through the same vector code, padded, so every element is computed alike
                float[] tmp = new float[SPECIES.length()];
                System.arraycopy(xa, x.offset() + whole, tmp, 0, to - whole);
                loop.run(tmp, 0, tmp, 0, tmp.length);
                System.arraycopy(tmp, 0, oa, out.offset() + whole, to - whole);
            }
        });
    }

    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;

    /** x·σ(x) = x / (1 + e^(−x)); e^(−x) = +∞ gives −0, as it should. */
    private static void siluLoop(float[] x, int xo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i);
            v.div(VMath.exp(v.neg()).add(1f)).intoArray(o, oo + i);
        }
    }

    /** x·σ(2u) = x / (1 + e^(−2u)), u = √(2/π)·(x + 0.044715x³). */
    private static void geluTanhLoop(float[] x, int xo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i);
            FloatVector minus2u = v.mul(v).fma(0.044715f, 1f).mul(v).mul(-2f * SQRT_2_OVER_PI);
            v.div(VMath.exp(minus2u).add(1f)).intoArray(o, oo + i);
        }
    }

    /** Elements per block of the two-pass GELU. */
    private static final int GELU_BLOCK = 256;

    /**
     * x·Φ(x), Φ(x) = 1 − ½erfc(x/√2) for x ≥ 0 and ½erfc(|x|/√2) for x < 0 (erfc = t·e^E from {@link VMath}), in two
     * passes over blocks: the whole formula in one loop is more than the JIT keeps intrinsic, and it then boxes
     * every vector.
     */
    private static void geluLoop(float[] x, int xo, float[] o, int oo, int n) {
        float[] ts = new float[GELU_BLOCK];
        float[] args = new float[GELU_BLOCK];
        for (int b = 0; b < n; b += GELU_BLOCK) {
            int len = Math.min(GELU_BLOCK, n - b);
            erfcParts(x, xo + b, ts, args, len);
            geluFinish(x, xo + b, ts, args, o, oo + b, len);
        }
    }

    /** ts = t and args = the exponent of erfc(|x|/√2) for len elements. */
    private static void erfcParts(float[] x, int xo, float[] ts, float[] args, int len) {
        for (int i = 0; i < len; i += SPECIES.length()) {
            FloatVector a = FloatVector.fromArray(SPECIES, x, xo + i).abs();
            FloatVector t = VMath.erfcT(a);
            t.intoArray(ts, i);
            VMath.erfcExponent(a, t).intoArray(args, i);
        }
    }

    /** o = x·Φ(x) from the parts of erfc(|x|/√2). */
    private static void geluFinish(float[] x, int xo, float[] ts, float[] args, float[] o,
            int oo, int len) {
        for (int i = 0; i < len; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i);
            FloatVector half = VMath.exp(FloatVector.fromArray(SPECIES, args, i))
                    .mul(FloatVector.fromArray(SPECIES, ts, i))
                    .mul(0.5f);
            // x·Φ(x) = max(x, 0)·(1 − half) + min(x, 0)·half: one of the two terms is zero, so this is exactly
            // x·(1 − half) for x ≥ 0 and x·half for x < 0, with no compare and blend (uncompiled on SVE with JDK 17)
            v.min(0f).fma(half, v.max(0f).mul(half.neg().add(1f))).intoArray(o, oo + i);
        }
    }
}
