package jsora.nn;

import java.util.SplittableRandom;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LinearTest {

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextDouble(-1, 1);
        }
        return t;
    }

    /** y = x·Wᵀ + b against a double-precision sum, for fp32 and 16-bit weights (compared with their exact values). */
    @Property(tries = 30)
    void matchesADoubleReference(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 37) int k,
            @ForAll @IntRange(min = 1, max = 19) int n, @ForAll boolean withBias, @ForAll DType dtype, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = random(r, 2, m, k);
        WeightTensor w = WeightTensor.convert(random(r, n, k), dtype);
        Tensor b = withBias ? random(r, n) : null;
        Tensor expected = Tensor.zeros(2, m, n);
        for (int row = 0; row < 2 * m; row++) {
            for (int j = 0; j < n; j++) {
                double s = b == null ? 0 : b.data()[j];
                for (int p = 0; p < k; p++) {
                    s += (double) x.data()[row * k + p] * w.get(j * k + p);
                }
                expected.data()[row * n + j] = (float) s;
            }
        }
        Approx.assertClose("linear", expected, new Linear(w, b).forward(x), 1e-5);
    }

    /** Mlp = fc2(act(fc1(x))), row by row. */
    @Property(tries = 10)
    void mlpChainsItsLayers(@ForAll @IntRange(min = 1, max = 5) int rows, @ForAll Activation act, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Linear fc1 = new Linear(WeightTensor.of(random(r, 6, 3)), random(r, 6));
        Linear fc2 = new Linear(WeightTensor.of(random(r, 2, 6)), random(r, 2));
        Tensor x = random(r, rows, 3);
        Tensor h = fc1.forward(x);
        act.apply(h, h);
        Approx.assertClose("mlp", fc2.forward(h), new Mlp(fc1, act, fc2).forward(x), 0);
    }
}
