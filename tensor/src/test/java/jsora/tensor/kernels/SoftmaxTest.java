package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Softmax against the double reference; tolerance 1e-6 (outputs lie in [0, 1]). */
class SoftmaxTest {
    @Property(tries = 40)
    void matchesReference(@ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 100) int c,
            @ForAll @IntRange(min = 0, max = 40) int logScale, @ForAll long seed) {
        // logit scales from 1 to 1e40 (infinite logits included at the top)
        Tensor x = Ref.randn(new Random(seed), Math.pow(10, logScale), rows, c);
        for (int i = 0; i < x.size(); i++) {
            if (Float.isInfinite(x.data()[i])) {
                x.data()[i] = Math.copySign(Float.MAX_VALUE, x.data()[i]);
            }
        }
        Tensor expected = Ref.softmax(x);
        Tensor out = Tensor.zeros(rows, c);
        Softmax.lastAxis(x, out);
        Approx.assertClose("softmax " + SPECIES, expected, out, 1e-6);
    }

    @Test
    void extremeLogitsGiveNoNanOrInf() {
        Tensor x = Ref.of(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, Float.MAX_VALUE, 0f, -1e30f,
            Float.NEGATIVE_INFINITY}, 1, 7);
        Tensor out = Tensor.zeros(1, 7);
        Softmax.lastAxis(x, out);
        assertArrayEquals(new float[] {0.5f, 0f, 0f, 0.5f, 0f, 0f, 0f}, out.toArray());
    }

    @Test
    void lengthOneAndAllMinusInfinityRows() {
        Tensor one = Ref.of(new float[] {-123f, 7f}, 2, 1);
        Softmax.lastAxis(one, one);
        assertArrayEquals(new float[] {1f, 1f}, one.toArray());
        Tensor dead = Tensor.zeros(1, 5);
        dead.fill(Float.NEGATIVE_INFINITY);
        Softmax.lastAxis(dead, dead);
        assertArrayEquals(new float[5], dead.toArray(), "an all -inf row gives zeros");
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        Tensor x = Ref.randn(new Random(1), 5, 300, 77);
        Tensor a = Tensor.zeros(300, 77);
        Tensor b = Tensor.zeros(300, 77);
        Ref.withThreads(1, () -> Softmax.lastAxis(x, a));
        Ref.withThreads(3, () -> Softmax.lastAxis(x, b));
        assertArrayEquals(a.toArray(), b.toArray());
        double sum = 0;
        for (int i = 0; i < 77; i++) {
            sum += a.data()[i];
        }
        assertEquals(1.0, sum, 1e-5);
        assertTrue(a.data()[0] >= 0);
    }
}
