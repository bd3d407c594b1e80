package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Convolutions against the direct double-precision loop over the same (rounded) weights; tolerance
 * 1e-5 · max(1, max|expected|).
 */
class ConvTest {
    private static final double TOL = 1e-5;

    @Property(tries = 30)
    void conv3dMatchesReference(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 5) int c,
            @ForAll @IntRange(min = 1, max = 6) int o, @ForAll @IntRange(min = 1, max = 4) int t,
            @ForAll @IntRange(min = 1, max = 7) int h, @ForAll @IntRange(min = 1, max = 19) int w,
            @ForAll @IntRange(min = 1, max = 3) int kt, @ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 3) int dtype,
            @ForAll boolean causal, @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        // causal: time padded on the front only (CausalConv3d); otherwise asymmetric random pads
        int[] pad = causal ? new int[] {kt - 1, 0, k / 2, k / 2, k / 2, k / 2}
                : new int[] {r.nextInt(2), r.nextInt(2), r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)};
        int[] st = {causal ? 1 : stride, stride, stride};
        Assume.that(t + pad[0] + pad[1] >= kt && h + pad[2] + pad[3] >= k && w + pad[4] + pad[5] >= k);
        Tensor x = Ref.randn(r, 1, n, c, t, h, w);
        WeightTensor wt = WeightTensor.convert(Ref.randn(r, 0.5, o, c, kt, k, k), DType.values()[dtype]);
        Tensor b = bias ? Ref.randn(r, 1, o) : null;
        Tensor expected = Ref.conv3d(x, wt, kt, b, st, pad);
        Tensor out = Tensor.zeros(expected.shape());
        Conv.conv3d(x, wt, kt, b, st, pad, out);
        Approx.assertClose("conv3d " + SPECIES + " " + wt.dtype(), expected, out, TOL);
    }

    @Example
    void anInputNarrowerThanTheKernelWithPaddingOnOneSide() {
        // jqwik found it: a 1-wide input, 3-wide kernel, both pads on the right; an empty copy range past the input
        conv3dMatchesReference(2, 1, 1, 1, 1, 1, 1, 3, 1, 0, false, true, 5);
    }

    @Property(tries = 20)
    void conv2dMatchesReference(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 5) int o,
            @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 17) int w,
            @ForAll @IntRange(min = 0, max = 1) int kSel, @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll long seed) {
        Random r = new Random(seed);
        int k = kSel == 0 ? 1 : 3;
        int pad = k / 2;
        Tensor x = Ref.randn(r, 1, 2, c, h, w);
        WeightTensor wt = WeightTensor.of(Ref.randn(r, 0.5, o, c, k, k));
        Tensor b = Ref.randn(r, 1, o);
        Tensor expected = Ref.conv3d(x.reshape(2, c, 1, h, w), wt, 1, b, new int[] {1, stride, stride},
                new int[] {0, 0, pad, pad, pad, pad});
        Tensor out = Tensor.zeros(2, o, (h + 2 * pad - k) / stride + 1, (w + 2 * pad - k) / stride + 1);
        Conv.conv2d(x, wt, b, stride, pad, out);
        Approx.assertClose("conv2d", expected.reshape(out.shape()), out, TOL);
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        Random r = new Random(9);
        Tensor x = Ref.randn(r, 1, 1, 8, 3, 12, 20);
        WeightTensor wt = WeightTensor.of(Ref.randn(r, 0.3, 16, 8, 3, 3, 3));
        int[] st = {1, 1, 1};
        int[] pad = {2, 0, 1, 1, 1, 1};
        Tensor a = Tensor.zeros(1, 16, 3, 12, 20);
        Tensor b = Tensor.zeros(1, 16, 3, 12, 20);
        Ref.withThreads(1, () -> Conv.conv3d(x, wt, 3, null, st, pad, a));
        Ref.withThreads(3, () -> Conv.conv3d(x, wt, 3, null, st, pad, b));
        assertArrayEquals(a.toArray(), b.toArray());
    }

    @Test
    void rejectsMismatchedShapes() {
        WeightTensor wt = WeightTensor.of(Tensor.zeros(4, 3, 3, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.zeros(1, 2, 5, 5), wt, null, 1, 1, Tensor.zeros(1, 4, 5, 5)));
        assertThrows(IllegalArgumentException.class,
                () -> Conv.conv2d(Tensor.zeros(1, 3, 5, 5), wt, null, 1, 1, Tensor.zeros(1, 4, 4, 5)));
    }
}
