package jsora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.Int8;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * {@link Gemm} against {@link GemmReference}. Tolerance: every element within {@value #REL} · Σ_p|a·b| of the double
 * reference (a float32 sum of K terms is off by about √K · 2⁻²⁴ of that scale; a wrong term or a missed block is off
 * by the size of a term). 16-bit weights are compared against the reference fed the same rounded values, so their
 * only error is the float32 summation too.
 */
class GemmTest {
    static final double REL = 2e-6;

    /** Sizes that straddle the tile edges (12 rows, 2 vectors of columns). */
    @Provide
    Arbitrary<Integer> dims() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 140)));
    }

    /** Reduction lengths, some of them cut into several K blocks. */
    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 40)),
                Tuple.of(1, Arbitraries.integers().between(GemmDriver.KC - 20, 2 * GemmDriver.KC + 50)));
    }

    /**
     * A packed once ({@link GemmDriver.PackedLhs}, as a convolution packs its weight) gives the bits of A packed
     * block by block, with several row blocks and K blocks, on two threads and inside a parallel region (serially).
     */
    @Property(tries = 30)
    void packedLhsGivesTheSameBits(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll("dims") int n,
                                   @ForAll("depths") int k, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] bias = random(rnd, n);
        float[] expected = new float[m * n];
        GemmDriver.multiply(m, n, k, a, 0, k, GemmRhs.plain(b, 0, n), bias, 0, expected, 0, n);
        GemmDriver.PackedLhs packed = new GemmDriver.PackedLhs(m, k, a, 0, k);
        float[] twoThreads = new float[m * n];
        withThreads(2, () -> GemmDriver.multiply(packed, n, GemmRhs.plain(b, 0, n), bias, 0, twoThreads, 0, n));
        assertArrayEquals(expected, twoThreads, "two threads");
        float[] inRegion = new float[m * n];
        withThreads(2, () -> Parallel.forEach(1,
                i -> GemmDriver.multiply(packed, n, GemmRhs.plain(b, 0, n), bias, 0, inRegion, 0, n)));
        assertArrayEquals(expected, inRegion, "inside a parallel region");
    }

    @Property(tries = 150)
    void linearMatchesReference(@ForAll("dims") int m, @ForAll("dims") int n, @ForAll("depths") int k,
                                @ForAll DType dtype, @ForAll boolean withBias,
                                @ForAll @IntRange(max = 5) int offset, @ForAll long seed) {
        Random rnd = new Random(seed);
        // x and y are views at an offset into larger arrays; the bias too
        Tensor x = Tensor.wrap(random(rnd, offset + m * k + 3), offset, new int[] {m, k});
        WeightTensor w = WeightTensor.convert(Tensor.wrap(random(rnd, n * k), new int[] {n, k}), dtype);
        Tensor bias = withBias ? Tensor.wrap(random(rnd, n + offset), offset, new int[] {n}) : null;
        float[] yData = random(rnd, offset + m * n + 2);
        Tensor y = Tensor.wrap(yData, offset, new int[] {m, n});
        float[] before = yData.clone();

        Gemm.linear(x, w, bias, y);

        GemmReference.Result ref = GemmReference.multiply(m, n, k, x.toArray(), 0, w.toTensor().toArray(), 0, true,
                bias == null ? null : bias.toArray());
        assertClose("linear " + m + "x" + n + "x" + k + " " + dtype + " @" + Simd.bits(), ref, y);
        assertUntouchedOutside(before, yData, offset, m * n);
    }

    /** int8 weights with any scale layout: the packing dequantizes to exactly the values {@link WeightTensor#get} gives. */
    @Property(tries = 80)
    void int8LinearMatchesReferenceForAnyScaleBlock(@ForAll("dims") int m, @ForAll("dims") int n,
                                                    @ForAll("depths") int k,
                                                    @ForAll @IntRange(min = 1, max = 100) int block,
                                                    @ForAll boolean perRow, @ForAll long seed) {
        Random rnd = new Random(seed);
        Tensor x = Tensor.wrap(random(rnd, m * k), new int[] {m, k});
        WeightTensor w = Int8.quantize(Tensor.wrap(random(rnd, n * k), new int[] {n, k}), perRow ? Int8.PER_ROW : block);
        Tensor y = Tensor.zeros(m, n);
        Gemm.linear(x, w, null, y);
        GemmReference.Result ref = GemmReference.multiply(m, n, k, x.data(), 0, w.toTensor().data(), 0, true, null);
        assertClose("int8 linear " + m + "x" + n + "x" + k + " block " + w.scaleBlock() + " @" + Simd.bits(), ref,
                y);
    }

    /** matmulTransB (b given as [batch, N, K]) or matmul (b given as [batch, K, N]). */
    @Property(tries = 120)
    void batchedProductsMatchReference(@ForAll boolean transposed, @ForAll @IntRange(min = 1, max = 3) int batch,
                                       @ForAll("dims") int m, @ForAll("dims") int n, @ForAll("depths") int k,
                                       @ForAll long seed) {
        Random rnd = new Random(seed);
        Tensor a = Tensor.wrap(random(rnd, batch * m * k), new int[] {batch, m, k});
        Tensor b = Tensor.wrap(random(rnd, batch * n * k), transposed ? new int[] {batch, n, k} : new int[] {batch, k, n});
        Tensor c = Tensor.zeros(batch, m, n);
        if (transposed) {
            Gemm.matmulTransB(a, b, c);
        } else {
            Gemm.matmul(a, b, c);
        }
        for (int i = 0; i < batch; i++) {
            GemmReference.Result ref = GemmReference.multiply(m, n, k, a.data(), i * m * k, b.data(), i * n * k,
                    transposed, null);
            assertClose((transposed ? "matmulTransB[" : "matmul[") + i + "] " + m + "x" + n + "x" + k + " @"
                    + Simd.bits(), ref, c.get(i));
        }
    }

    @Property(tries = 6)
    void linearIsBitIdenticalForOneAndTwoThreads(@ForAll DType dtype, @ForAll long seed) {
        Random rnd = new Random(seed);
        int m = 40;
        int n = GemmDriver.NC + 37; // more than one column panel
        int k = GemmDriver.KC + 100; // more than one k block
        Tensor x = Tensor.wrap(random(rnd, m * k), new int[] {m, k});
        WeightTensor w = WeightTensor.convert(Tensor.wrap(random(rnd, n * k), new int[] {n, k}), dtype);
        Tensor bias = Tensor.wrap(random(rnd, n), new int[] {n});
        Tensor one = Tensor.zeros(m, n);
        Tensor two = Tensor.zeros(m, n);
        withThreads(1, () -> Gemm.linear(x, w, bias, one));
        withThreads(2, () -> Gemm.linear(x, w, bias, two));
        assertArrayEquals(one.data(), two.data());
    }

    @Property(tries = 6)
    void batchedIsBitIdenticalForOneAndTwoThreads(@ForAll @IntRange(min = 1, max = 4) int batch,
                                                  @ForAll long seed) {
        Random rnd = new Random(seed);
        int m = 70;
        int n = 90;
        int k = GemmDriver.KC + 30;
        Tensor a = Tensor.wrap(random(rnd, batch * m * k), new int[] {batch, m, k});
        Tensor b = Tensor.wrap(random(rnd, batch * n * k), new int[] {batch, n, k});
        Tensor[] out = new Tensor[4];
        for (int t = 1; t <= 2; t++) {
            Tensor ct = Tensor.zeros(batch, m, n);
            Tensor cm = Tensor.zeros(batch, m, n);
            withThreads(t, () -> {
                Gemm.matmulTransB(a, b, ct);
                Gemm.matmul(a, b.reshape(batch, k, n), cm);
            });
            out[2 * (t - 1)] = ct;
            out[2 * (t - 1) + 1] = cm;
        }
        assertArrayEquals(out[0].data(), out[2].data());
        assertArrayEquals(out[1].data(), out[3].data());
    }

    @Test
    void f16WideningMatchesHalfForEveryValue() {
        for (int h = 0; h < 1 << 16; h++) {
            float expected = Half.f16ToFloat((short) h);
            float actual = GemmRhs.f16ToFloat((short) h);
            if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
                throw new AssertionFailedError(String.format("f16 0x%04x: %s, Half says %s", h, actual, expected));
            }
        }
    }

    @Test
    void emptyReductionGivesTheBias() {
        Tensor x = Tensor.zeros(3, 0);
        WeightTensor w = WeightTensor.ofF32(new float[0], 2, 0);
        Tensor bias = Tensor.wrap(new float[] {1.5f, -2f}, new int[] {2});
        Tensor y = Tensor.wrap(new float[] {9, 9, 9, 9, 9, 9}, new int[] {3, 2});
        Gemm.linear(x, w, bias, y);
        assertArrayEquals(new float[] {1.5f, -2f, 1.5f, -2f, 1.5f, -2f}, y.data());
    }

    @Test
    void leadingAxesAreFlattenedIntoRows() {
        Random rnd = new Random(7);
        Tensor x = Tensor.wrap(random(rnd, 2 * 3 * 5), new int[] {2, 3, 5});
        WeightTensor w = WeightTensor.of(Tensor.wrap(random(rnd, 4 * 5), new int[] {4, 5}));
        Tensor y = Tensor.zeros(2, 3, 4);
        Gemm.linear(x, w, null, y);
        GemmReference.Result ref = GemmReference.multiply(6, 4, 5, x.data(), 0, w.f32(), 0, true, null);
        assertClose("linear over [2, 3, 5]", ref, y);
    }

    @Test
    void mismatchedShapesAreRejected() {
        WeightTensor w = WeightTensor.ofF32(new float[12], 3, 4);
        assertThrows(IllegalArgumentException.class, () -> Gemm.linear(Tensor.zeros(2, 5), w, null, Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Gemm.linear(Tensor.zeros(2, 4), w, null, Tensor.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.linear(Tensor.zeros(2, 4), w, Tensor.zeros(4), Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmulTransB(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 4, 2), Tensor.zeros(1, 2, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(Tensor.zeros(1, 2, 3), Tensor.zeros(2, 3, 4), Tensor.zeros(1, 2, 4)));
    }

    private static void withThreads(int threads, Runnable body) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            body.run();
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static void assertClose(String what, GemmReference.Result ref, Tensor actual) {
        for (int i = 0; i < ref.value.length; i++) {
            double got = actual.data()[actual.offset() + i];
            double tol = REL * ref.absSum[i] + 1e-30;
            if (!(Math.abs(got - ref.value[i]) <= tol)) {
                throw new AssertionFailedError(String.format("%s: element %d is %.9g, reference %.9g (tolerance %.3g)",
                        what, i, got, ref.value[i], tol));
            }
        }
    }

    private static void assertUntouchedOutside(float[] before, float[] after, int from, int length) {
        for (int i = 0; i < before.length; i++) {
            if ((i < from || i >= from + length) && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionFailedError("element " + i + " outside the output view was written");
            }
        }
    }
}
