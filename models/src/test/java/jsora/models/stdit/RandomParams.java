package jsora.models.stdit;

import java.util.SplittableRandom;
import jsora.tensor.WeightTensor;

/**
 * Random parameters for any key, drawn like the golden cases' weights: N(0, 1/fan_in) for matrices, 1 + 0.1·N for
 * 1-D {@code *.weight}, 0.1·N for other vectors; {@code rope.freqs} as RotaryEmbedding defines it. Deterministic per
 * (seed, key).
 */
final class RandomParams implements Params {
    private final long seed;

    RandomParams(long seed) {
        this.seed = seed;
    }

    @Override
    public WeightTensor weight(String key, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        if (key.equals("rope.freqs")) {
            for (int i = 0; i < n; i++) {
                v[i] = (float) (1.0 / Math.pow(10000, 2.0 * i / (2 * n)));
            }
            return WeightTensor.ofF32(v, shape);
        }
        SplittableRandom r = new SplittableRandom(seed * 31 + key.hashCode());
        double sd = shape.length >= 2 ? Math.sqrt((double) shape[0] / n) : 0.1;
        double mean = shape.length == 1 && key.endsWith(".weight") ? 1 : 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + sd * gaussian(r));
        }
        return WeightTensor.ofF32(v, shape);
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A small STDiT3 configuration (hidden 32, 2 heads, 1 block pair, 6 caption tokens of width 16). */
    static STDiT3Config tinyConfig() {
        return new STDiT3Config(32, 1, 2, 2.0, 4, new int[] {1, 2, 2}, 16, 6, 512, true, true, 0);
    }
}
