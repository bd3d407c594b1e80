package jsora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

    private enum Kind { GELU, GELU_TANH, SILU }

    /** Elements per parallel task: pointwise work is memory-bound, so only large tensors are split. */
    private static final int GRAIN = 1 << 15;

    /** GELU with the tanh approximation (HF {@code gelu_new}, PyTorch {@code approximate="tanh"}). */
    public static void geluTanh(Tensor x, Tensor out) {
        geluTanh(Simd.species(), x, out);
    }

    /**
     * Computed as x·σ(2u), u = √(2/π)·(x + 0.044715x³), which equals ½x(1 + tanh u) exactly and avoids the
     * cancellation of 1 + tanh u for negative x.
     */
    public static void geluTanh(VectorSpecies<Float> sp, Tensor x, Tensor out) {
        apply(sp, Kind.GELU_TANH, x, out);
    }

    /** Exact GELU, x·Φ(x) with the error function (PyTorch's default {@code nn.GELU()}). */
    public static void gelu(Tensor x, Tensor out) {
        gelu(Simd.species(), x, out);
    }

    /** Φ(x) = 1 − ½erfc(x/√2) for x ≥ 0 and ½erfc(|x|/√2) for x < 0, erfc from {@link VMath#erfcScaled}. */
    public static void gelu(VectorSpecies<Float> sp, Tensor x, Tensor out) {
        apply(sp, Kind.GELU, x, out);
    }

    /** SiLU, x·sigmoid(x). */
    public static void silu(Tensor x, Tensor out) {
        silu(Simd.species(), x, out);
    }

    public static void silu(VectorSpecies<Float> sp, Tensor x, Tensor out) {
        apply(sp, Kind.SILU, x, out);
    }

    private static void apply(VectorSpecies<Float> sp, Kind kind, Tensor x, Tensor out) {
        if (out.size() != x.size()) {
            throw new IllegalArgumentException("activation: output " + out + " does not match input " + x);
        }
        float[] xa = x.data();
        float[] oa = out.data();
        int xo = x.offset();
        int oo = out.offset();
        int lanes = sp.length();
        int n = x.size();
        int chunk = GRAIN;
        Parallel.forRange((n + chunk - 1) / chunk, 1, (c0, c1) -> {
            int from = c0 * chunk;
            int to = Math.min(n, c1 * chunk);
            int i = from;
            for (; i <= to - lanes; i += lanes) {
                eval(kind, FloatVector.fromArray(sp, xa, xo + i)).intoArray(oa, oo + i);
            }
            if (i < to) {
                VMath.storePartial(eval(kind, VMath.loadPartial(sp, xa, xo + i, to - i, 0f)), oa, oo + i, to - i);
            }
        });
    }

    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;

    private static FloatVector eval(Kind kind, FloatVector v) {
        switch (kind) {
            case SILU:
                return sigmoidTimes(v, v);
            case GELU_TANH: {
                FloatVector u = v.mul(v).fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI);
                return sigmoidTimes(v, u.mul(2f));
            }
            default: {
                FloatVector half = VMath.erfcScaled(v.abs()).mul(0.5f);
                FloatVector phi = half.neg().add(1f).blend(half, v.compare(VectorOperators.LT, 0f));
                return v.mul(phi);
            }
        }
    }

    /** x·σ(z) = x / (1 + e^(−z)); e^(−z) = +∞ gives −0 or 0, as it should. */
    private static FloatVector sigmoidTimes(FloatVector x, FloatVector z) {
        return x.div(VMath.exp(z.neg()).add(1f));
    }
}
