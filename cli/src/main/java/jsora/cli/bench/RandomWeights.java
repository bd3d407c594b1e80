package jsora.cli.bench;

import java.util.SplittableRandom;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/** Random weights for benchmarks: uniform with a given standard deviation, reproducible per key. */
final class RandomWeights {
    private RandomWeights() {
    }

    static WeightTensor of(String key, DType dtype, double std, int... shape) {
        SplittableRandom r = new SplittableRandom(key.hashCode());
        Tensor t = Tensor.zeros(shape);
        double a = std * Math.sqrt(3);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-a, a);
        }
        return WeightTensor.convert(t, dtype);
    }
}
