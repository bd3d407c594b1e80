package jsora.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GatedMlpTest {

    private static WeightTensor random(SplittableRandom r, DType dtype, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextDouble(-1, 1);
        }
        return WeightTensor.convert(t, dtype);
    }

    /** out(act(x·Gᵀ) ⊙ (x·Uᵀ)) against a double-precision evaluation of the same formula. */
    @Property(tries = 20)
    void matchesADoubleReference(@ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 13) int in,
            @ForAll @IntRange(min = 1, max = 17) int hidden, @ForAll DType dtype, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        WeightTensor g = random(r, dtype, hidden, in);
        WeightTensor u = random(r, dtype, hidden, in);
        WeightTensor o = random(r, dtype, in, hidden);
        Tensor x = random(r, DType.F32, rows, in).toTensor();
        Tensor expected = Tensor.zeros(rows, in);
        for (int i = 0; i < rows; i++) {
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double gs = 0;
                double us = 0;
                for (int p = 0; p < in; p++) {
                    gs += (double) x.at(i, p) * g.get(j * in + p);
                    us += (double) x.at(i, p) * u.get(j * in + p);
                }
                double gelu = 0.5 * gs * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (gs + 0.044715 * gs * gs * gs)));
                h[j] = gelu * us;
            }
            for (int p = 0; p < in; p++) {
                double s = 0;
                for (int j = 0; j < hidden; j++) {
                    s += h[j] * o.get(p * hidden + j);
                }
                expected.put((float) s, i, p);
            }
        }
        GatedMlp mlp = new GatedMlp(new Linear(g, null), new Linear(u, null), Activation.GELU_TANH, new Linear(o, null));
        Approx.assertClose("gated mlp", expected, mlp.forward(x), 1e-5 * hidden);
    }

    @Test
    void layersMustChain() {
        SplittableRandom r = new SplittableRandom(1);
        Linear gate = new Linear(random(r, DType.F32, 4, 3), null);
        Linear up = new Linear(random(r, DType.F32, 5, 3), null);
        Linear out = new Linear(random(r, DType.F32, 3, 4), null);
        assertThrows(IllegalArgumentException.class, () -> new GatedMlp(gate, up, Activation.GELU_TANH, out));
    }
}
