package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** RoPE (interleaved pairs) against the double reference; tolerance 1e-6 · max(1, max|expected|). */
class RopeTest {
    @Property(tries = 40)
    void matchesReference(@ForAll @IntRange(min = 1, max = 3) int outer, @ForAll @IntRange(min = 1, max = 9) int l,
            @ForAll @IntRange(min = 1, max = 75) int d, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = Ref.randn(r, 1, outer, l, d);
        Tensor cos = Tensor.zeros(l, d);
        Tensor sin = Tensor.zeros(l, d);
        for (int p = 0; p < l; p++) {
            for (int i = 0; i < d; i++) {
                // rotary_embedding_torch repeats each frequency for both members of a pair
                double angle = p * Math.pow(10000, -2.0 * (i / 2) / d);
                cos.put((float) Math.cos(angle), p, i);
                sin.put((float) Math.sin(angle), p, i);
            }
        }
        Tensor expected = Ref.rope(x, cos, sin);
        Tensor y = x.copy();
        Rope.apply(HeadView.of(y.reshape(1, outer, l, d)), cos, sin);
        Approx.assertClose("rope " + SPECIES, expected, y, 1e-6);
    }
}
