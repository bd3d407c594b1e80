package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Activations and the polynomial exp against double references. Stated tolerance: |error| ≤ 2e-6·|expected| + 1e-15
 * over inputs up to |x| = 30 (+ 1e-12 instead for geluTanh, whose values below −5 inherit the float rounding of the
 * polynomial inside the exponent), and e^x within 2e-7 relative over the normal float range.
 */
class ActivationsTest {
    private interface Kernel {
        void run(Tensor x, Tensor out);
    }

    private static void check(String name, Kernel kernel, DoubleUnaryOperator ref, Tensor x) {
        // geluTanh's far negative tail carries the float rounding of its exp argument (≈ 2u), as PyTorch's does
        double floor = name.equals("geluTanh") ? 1e-12 : 1e-15;
        Tensor out = Tensor.zeros(x.shape());
        kernel.run(x, out);
        for (int i = 0; i < x.size(); i++) {
            double e = ref.applyAsDouble(x.data()[i]);
            double got = out.data()[i];
            double tol = 2e-6 * Math.abs(e) + floor;
            float arg = x.data()[i];
            assertTrue(Math.abs(got - e) <= tol, () -> name + " " + SPECIES + " at x = " + arg
                    + ": got " + got + ", expected " + e);
        }
    }

    private static Tensor inputs(long seed, int n, double scale) {
        return Ref.randn(new Random(seed), scale, n);
    }

    @Property(tries = 30)
    void geluMatchesReference(@ForAll @IntRange(min = 1, max = 100) int n, @ForAll @IntRange(min = 0, max = 2) int range,
            @ForAll long seed) {
        check("gelu", Activations::gelu, Ref::gelu, inputs(seed, n, new double[] {0.3, 3, 10}[range]));
    }

    @Property(tries = 30)
    void geluTanhMatchesReference(@ForAll @IntRange(min = 1, max = 100) int n,
            @ForAll @IntRange(min = 0, max = 2) int range, @ForAll long seed) {
        check("geluTanh", Activations::geluTanh, Ref::geluTanh, inputs(seed, n, new double[] {0.3, 3, 10}[range]));
    }

    @Property(tries = 30)
    void siluMatchesReference(@ForAll @IntRange(min = 1, max = 100) int n, @ForAll @IntRange(min = 0, max = 2) int range,
            @ForAll long seed) {
        check("silu", Activations::silu, Ref::silu, inputs(seed, n, new double[] {0.3, 3, 10}[range]));
    }

    @Test
    void sweepAndSpecialValues() {
        int n = 60001;
        Tensor x = Tensor.zeros(n + 6);
        for (int i = 0; i < n; i++) {
            x.data()[i] = -30f + 60f * i / (n - 1);
        }
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 1e4f, -1e4f};
        System.arraycopy(special, 0, x.data(), n, special.length);
        check("gelu", Activations::gelu, Ref::gelu, x);
        check("geluTanh", Activations::geluTanh, Ref::geluTanh, x);
        check("silu", Activations::silu, Ref::silu, x);
    }

    @Test
    void inPlaceAndLengthOne() {
        Tensor x = Ref.of(new float[] {2f}, 1);
        Activations.silu(x, x);
        assertEquals(Ref.silu(2), x.data()[0], 2e-6 * Ref.silu(2));
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        Tensor x = inputs(8, 3 * (1 << 15) + 7, 4);
        Kernel[] kernels = {Activations::gelu, Activations::geluTanh, Activations::silu};
        for (Kernel k : kernels) {
            Tensor a = Tensor.zeros(x.shape());
            Tensor b = Tensor.zeros(x.shape());
            Ref.withThreads(1, () -> k.run(x, a));
            Ref.withThreads(3, () -> k.run(x, b));
            assertArrayEquals(a.toArray(), b.toArray());
        }
    }

    /** The two formulations of {@link VMath#exp}, which differ only in how they build 2ⁿ. */
    private static final Map<String, UnaryOperator<FloatVector>> EXPS = Map.of("bits", VMath::expBits,
            "arithmetic", VMath::expArithmetic);

    @Test
    void polynomialExpIsAccurateOverTheFloatRange() {
        for (Map.Entry<String, UnaryOperator<FloatVector>> f : EXPS.entrySet()) {
            checkExp(f.getKey(), f.getValue());
        }
    }

    private static void checkExp(String name, UnaryOperator<FloatVector> exp) {
        float[] in = new float[SPECIES.length()];
        float[] out = new float[SPECIES.length()];
        for (float v = -87f; v < 88.7f; v += 0.0137f) {
            for (int l = 0; l < in.length; l++) {
                in[l] = v + l * 1e-3f;
            }
            exp.apply(FloatVector.fromArray(SPECIES, in, 0)).intoArray(out, 0);
            for (int l = 0; l < in.length; l++) {
                double e = Math.exp(in[l]);
                float got = out[l];
                float arg = in[l];
                assertTrue(Math.abs(got - e) <= 2e-7 * e, () -> name + " exp(" + arg + ") = " + got + ", expected "
                        + e);
            }
        }
        float[] edges = {Float.NEGATIVE_INFINITY, -200f, 89f, Float.POSITIVE_INFINITY, Float.NaN, 0f, -1e-40f, -100f};
        float[] expect = {0f, 0f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1f, 1f,
            (float) Math.exp(-100)};
        for (int i = 0; i < edges.length; i++) {
            float[] e = new float[SPECIES.length()];
            java.util.Arrays.fill(e, edges[i]);
            float got = exp.apply(FloatVector.fromArray(SPECIES, e, 0)).lane(0);
            float want = expect[i];
            float arg = edges[i];
            assertTrue(Float.compare(got, want) == 0 || Math.abs(got - want) <= 2e-7 * want + 2e-45,
                    () -> name + " exp(" + arg + ") = " + got + ", expected " + want);
        }
    }

    @Test
    void arithmeticPowersOfTwoAreExact() {
        float[] h = new float[SPECIES.length()];
        for (int k = -75; k <= 64; k++) {
            java.util.Arrays.fill(h, k);
            float got = VMath.powerOfTwo(FloatVector.fromArray(SPECIES, h, 0)).lane(SPECIES.length() - 1);
            assertEquals(Math.scalb(1f, k), got, "2^" + k + " at " + SPECIES);
        }
    }

    /** Both formulations give the same bits, so kernels compute alike whichever the JIT can compile. */
    @Test
    void expFormulationsAgreeBitForBit() {
        float[] in = new float[SPECIES.length()];
        float[] a = new float[SPECIES.length()];
        float[] b = new float[SPECIES.length()];
        // float bit patterns at a prime stride: every sign, binade and region of the range, plus the edges
        long stride = 65521;
        for (long bits = 0; bits < (1L << 32); bits += stride * in.length) {
            for (int l = 0; l < in.length; l++) {
                in[l] = Float.intBitsToFloat((int) (bits + l * stride));
            }
            VMath.expBits(FloatVector.fromArray(SPECIES, in, 0)).intoArray(a, 0);
            VMath.expArithmetic(FloatVector.fromArray(SPECIES, in, 0)).intoArray(b, 0);
            for (int l = 0; l < in.length; l++) {
                float x = in[l];
                assertEquals(Float.floatToRawIntBits(a[l]), Float.floatToRawIntBits(b[l]), () -> "exp(" + x + ")");
            }
        }
    }
}
