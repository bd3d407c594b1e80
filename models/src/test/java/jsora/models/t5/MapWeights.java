package jsora.models.t5;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;

/** Encoder weights held in a map (tests): random ones for a config, or any tensors a test puts in. */
final class MapWeights implements T5Weights {
    final Map<String, WeightTensor> tensors = new LinkedHashMap<>();

    /**
     * Random weights under the real key names: embedding and position bias N-like with std 1, matrices std
     * 1/√fan_in, norm weights 1 ± 0.5·u (uniform values throughout).
     */
    static MapWeights random(T5Config c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MapWeights w = new MapWeights();
        for (Map.Entry<String, int[]> e : c.parameterShapes().entrySet()) {
            String key = e.getKey();
            int[] shape = e.getValue();
            Tensor t = Tensor.zeros(shape);
            boolean norm = shape.length == 1;
            boolean table = key.equals(T5Embedding.SHARED) || key.contains("relative_attention_bias");
            double a = Math.sqrt(3) * (norm ? 0.5 / Math.sqrt(3) : table ? 1 : 1 / Math.sqrt(shape[1]));
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (float) ((norm ? 1 : 0) + r.nextDouble(-a, a));
            }
            w.tensors.put(key, WeightTensor.of(t));
        }
        return w;
    }

    @Override
    public WeightTensor weight(String key, int... shape) {
        WeightTensor w = tensors.get(key);
        if (w == null) {
            throw new CheckpointException("test weights: no tensor '" + key + "'");
        }
        if (!Arrays.equals(w.shape(), shape)) {
            throw new CheckpointException("test weights: tensor '" + key + "' has shape " + Arrays.toString(w.shape())
                    + ", the model needs " + Arrays.toString(shape));
        }
        return w;
    }

    @Override
    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    @Override
    public WeightTensor rows(String key, int[] ids) {
        WeightTensor table = weight(key, tensors.get(key).shape());
        int width = table.dim(1);
        float[] out = new float[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            table.toFloat(ids[i] * width, out, i * width, width);
        }
        return WeightTensor.ofF32(out, ids.length, width);
    }

    @Override
    public String source() {
        return "test weights";
    }
}
