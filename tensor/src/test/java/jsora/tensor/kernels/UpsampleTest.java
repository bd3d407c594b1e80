package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import jsora.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Nearest upsampling copies values, so it must match the reference exactly. */
class UpsampleTest {
    @Property(tries = 40)
    void matchesReference(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 5) int h,
            @ForAll @IntRange(min = 1, max = 21) int w, @ForAll @IntRange(min = 1, max = 3) int ft,
            @ForAll @IntRange(min = 1, max = 4) int fs, @ForAll long seed) {
        Tensor x = Ref.randn(new Random(seed), 1, n, c, t, h, w);
        Tensor expected = Ref.nearest3d(x, ft, fs);
        Tensor out = Tensor.zeros(expected.shape());
        Upsample.nearest3d(x, ft, fs, out);
        assertArrayEquals(expected.toArray(), out.toArray(), "nearest3d " + SPECIES);
        Tensor x2 = x.reshape(n, c * t, h, w);
        Tensor out2 = Tensor.zeros(n, c * t, h * fs, w * fs);
        Upsample.nearest2d(x2, fs, out2);
        assertArrayEquals(Ref.nearest3d(x, 1, fs).toArray(), out2.toArray(), "nearest2d " + SPECIES);
    }
}
