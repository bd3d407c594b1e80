package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vectorised elementary functions built from + − × ÷ and bit tricks only, so they run at full SIMD speed on every
 * JDK 17+ and every CPU (the Vector API's own EXP/TANH fall back to per-lane scalar code where the JDK has no
 * vector math library, e.g. on ARM with JDK 17).
 */
final class VMath {
    private VMath() {
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two (Cody–Waite): LN2_HI has few mantissa bits so n·LN2_HI is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude < 2²² to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;

    /**
     * e^x for every lane, within 2 ulp over the whole float range: underflows to 0 below about −103.9, overflows to
     * +∞ above about 88.72, −∞ gives 0, NaN stays NaN. Cephes' {@code expf}: x = n·ln2 + r with |r| ≤ ln2/2,
     * e^r by a degree-7 polynomial, times 2ⁿ as 2^⌊n/2⌋·2^(n−⌊n/2⌋) so that neither factor leaves the normal range.
     * The powers of two come from the exponent bits, or, where the JIT cannot compile float↔int reinterpretation
     * ({@link JitSupport#EXP_BITS}), from float arithmetic alone; both give the same bits.
     */
    static FloatVector exp(FloatVector x) {
        return JitSupport.EXP_BITS ? expBits(x) : expArithmetic(x);
    }

    /** {@link #exp} with 2ⁿ built in the exponent bits. */
    static FloatVector expBits(FloatVector x) {
        FloatVector xc = x.max(-104f).min(89f);
        FloatVector t = xc.mul(LOG2E).add(ROUND);
        FloatVector y = expRemainder(xc, t.sub(ROUND));
        IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** {@link #exp} with 2ⁿ from float arithmetic only (+ − × and fma), for SVE on JDK 17. */
    static FloatVector expArithmetic(FloatVector x) {
        FloatVector xc = x.max(-104f).min(89f);
        FloatVector n = xc.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector y = expRemainder(xc, n);
        // h = ⌊n/2⌋: n/2 − 1/4 rounds to it (n even: n/2; n odd: n/2 − 1/2), with no tie
        FloatVector h = n.fma(0.5f, -0.25f).add(ROUND).sub(ROUND);
        FloatVector s1 = powerOfTwo(h);
        FloatVector s2 = s1.fma(h.mul(-2f).add(n), s1);
        return y.mul(s1).mul(s2);
    }

    /** e^r, r = x − n·ln2 (x = xc clamped, n the nearest integer to x/ln2), by Cephes' polynomial. */
    private static FloatVector expRemainder(FloatVector xc, FloatVector n) {
        FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = horner(p, r, 8.3334519073e-3f);
        p = horner(p, r, 4.1665795894e-2f);
        p = horner(p, r, 1.6666665459e-1f);
        p = horner(p, r, 5.0000001201e-1f);
        return p.mul(r.mul(r)).add(r).add(1f);
    }

    private static final float LN2_OVER_128 = 0.693147180559945f / 128;
    /** φ = 2²³ + 1 of Rump's ufp (float32: unit roundoff u = 2⁻²⁴, φ = 1/(2u) + 1). */
    private static final float UFP_PHI = 8388609f;
    private static final float ONE_MINUS_U = 1f - 0x1p-24f;

    /**
     * 2^h exactly for integer-valued h in [−75, 64], with float arithmetic only. First a rough 2^(h+½):
     * e^((h+½)·ln2/128) by its cubic Taylor polynomial (|argument| ≤ 0.41, relative error ≤ 1.2e-3), squared 7
     * times (error ×128, still within a factor 1.2, far inside the √2 margin to the binade's edges). Then the
     * power of two at or below it, which is exactly 2^h: the "unit in the first place" ufp(v) = φv − (1−u)·φv for
     * normal v > 0 (S. M. Rump, "Ultimately fast accurate summation", SIAM J. Sci. Comput. 31, 2009).
     */
    static FloatVector powerOfTwo(FloatVector h) {
        FloatVector w = h.fma(LN2_OVER_128, LN2_OVER_128 * 0.5f);
        FloatVector v = w.fma(1f / 6, 0.5f);
        v = horner(v, w, 1f);
        v = horner(v, w, 1f);
        v = v.mul(v);
        v = v.mul(v);
        v = v.mul(v);
        v = v.mul(v);
        v = v.mul(v);
        v = v.mul(v);
        v = v.mul(v);
        FloatVector q = v.mul(UFP_PHI);
        return q.sub(q.mul(ONE_MINUS_U));
    }

    private static final float INV_SQRT2 = 0.7071067811865476f;

    /**
     * erfc(a/√2) for a ≥ 0 is t·e^E with t = erfcT(a) and E = {@link #erfcExponent}(a, t): the Chebyshev fit of
     * Numerical Recipes' {@code erfcc}, erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), fit error 1.2e-7 relative.
     * (Two methods, so that callers can keep each loop small enough for the JIT to keep it intrinsic.)
     */
    static FloatVector erfcT(FloatVector a) {
        FloatVector z = a.mul(INV_SQRT2);
        return z.broadcast(1f).div(z.fma(0.5f, 1f));
    }

    /**
     * E = −z² + P(t), z = a/√2, from a and t = {@link #erfcT}(a). z² = a²/2 is taken exactly (a² = hi + lo with one
     * fused multiply-add), so the only rounding in E is its final one, costing about 6e-8·z² relative in e^E: below
     * 2e-6 while erfc(z) > 1e-15 (z < 5.5); e^E underflows at z ≈ 10.
     */
    static FloatVector erfcExponent(FloatVector a, FloatVector t) {
        FloatVector p = t.fma(0.17087277f, -0.82215223f);
        p = horner(p, t, 1.48851587f);
        p = horner(p, t, -1.13520398f);
        p = horner(p, t, 0.27886807f);
        p = horner(p, t, -0.18628806f);
        p = horner(p, t, 0.09678418f);
        p = horner(p, t, 0.37409196f);
        p = horner(p, t, 1.00002368f);
        p = horner(p, t, -1.26551223f);
        FloatVector hi = a.mul(a);
        FloatVector lo = a.fma(a, hi.neg());
        return p.sub(lo.mul(0.5f)).sub(hi.mul(0.5f));
    }

    /** One Horner step, p·x + c, fused. */
    private static FloatVector horner(FloatVector p, FloatVector x, float c) {
        return p.fma(x, x.broadcast(c));
    }

    /** The {@code n < lanes} floats at {@code a[off..]} in the low lanes, {@code fill} in the others. */
    static FloatVector loadPartial(float[] a, int off, int n, float fill) {
        float[] tmp = new float[SPECIES.length()];
        java.util.Arrays.fill(tmp, n, tmp.length, fill);
        System.arraycopy(a, off, tmp, 0, n);
        return FloatVector.fromArray(SPECIES, tmp, 0);
    }

    /** Stores the low {@code n < lanes} lanes of {@code v} at {@code a[off..]}. */
    static void storePartial(FloatVector v, float[] a, int off, int n) {
        float[] tmp = new float[v.length()];
        v.intoArray(tmp, 0);
        System.arraycopy(tmp, 0, a, off, n);
    }
}
