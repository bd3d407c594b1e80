package jsora.tensor.kernels;

import static jsora.tensor.Simd.SPECIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Broadcast arithmetic against double references; tolerance 1e-6 · max(1, max|expected|) (float rounding only). */
class ElementwiseTest {
    private static final double TOL = 1e-6;

    @Property(tries = 40)
    void broadcastOpsMatchReference(@ForAll @IntRange(min = 1, max = 5) int reps, @ForAll @IntRange(min = 1, max = 90) int m,
            @ForAll long seed) {
        Random r = new Random(seed);
        int n = reps * m;
        Tensor a = Ref.randn(r, 2, reps, m);
        Tensor b = Ref.randn(r, 2, m);
        Tensor c = Ref.randn(r, 2, m);
        Tensor full = Ref.randn(r, 2, reps, m);
        Tensor add = Tensor.zeros(reps, m);
        Tensor mul = Tensor.zeros(reps, m);
        Tensor scale = Tensor.zeros(reps, m);
        Tensor mod = Tensor.zeros(reps, m);
        Tensor gated = Tensor.zeros(reps, m);
        for (int i = 0; i < n; i++) {
            double x = a.data()[i];
            double p = b.data()[i % m];
            double q = c.data()[i % m];
            add.data()[i] = (float) (x + p);
            mul.data()[i] = (float) (x * p);
            scale.data()[i] = (float) (x * 0.37);
            mod.data()[i] = (float) (x * (1 + p) + q);
            gated.data()[i] = (float) (x + p * full.data()[i]);
        }
        Tensor out = Tensor.zeros(reps, m);
        Elementwise.add(a, b, out);
        Approx.assertClose("add " + SPECIES, add, out, TOL);
        Elementwise.mul(a, b, out);
        Approx.assertClose("mul " + SPECIES, mul, out, TOL);
        Elementwise.scale(a, 0.37f, out);
        Approx.assertClose("scale " + SPECIES, scale, out, TOL);
        Elementwise.scaleShift(a, b, c, out);
        Approx.assertClose("scaleShift " + SPECIES, mod, out, TOL);
        Elementwise.addGated(a, b, full, out);
        Approx.assertClose("addGated " + SPECIES, gated, out, TOL);
        Tensor inPlace = a.copy();
        Elementwise.add(inPlace, b, inPlace);
        Approx.assertClose("add in place " + SPECIES, add, inPlace, TOL);
    }

    @Test
    void largeTensorsAreBitIdenticalForAnyThreadCount() {
        Random r = new Random(4);
        Tensor a = Ref.randn(r, 1, 97, 1153);
        Tensor b = Ref.randn(r, 1, 1153);
        Tensor x = Tensor.zeros(97, 1153);
        Tensor y = Tensor.zeros(97, 1153);
        Ref.withThreads(1, () -> Elementwise.addGated(a, b, a, x));
        Ref.withThreads(3, () -> Elementwise.addGated(a, b, a, y));
        assertArrayEquals(x.toArray(), y.toArray());
    }

    @Test
    void rejectsOperandsThatDoNotBroadcast() {
        Tensor a = Tensor.zeros(4, 6);
        assertThrows(IllegalArgumentException.class, () -> Elementwise.add(a, Tensor.zeros(5), a));
        assertThrows(IllegalArgumentException.class, () -> Elementwise.add(a, Tensor.zeros(6), Tensor.zeros(5)));
    }
}
