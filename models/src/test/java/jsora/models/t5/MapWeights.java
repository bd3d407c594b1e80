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

    /** Random weights under the real key names, scaled like the golden cases' initialisation. */
    static MapWeights random(T5Config c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MapWeights w = new MapWeights();
        int d = c.dModel;
        int inner = c.innerDim();
        w.put(r, T5Embedding.SHARED, 1, c.vocabSize, d);
        for (int i = 0; i < c.numLayers; i++) {
            String p = T5Block.prefix(i);
            w.put(r, p + "layer.0.SelfAttention.q.weight", 1 / Math.sqrt(d * c.dKv), inner, d);
            w.put(r, p + "layer.0.SelfAttention.k.weight", 1 / Math.sqrt(d), inner, d);
            w.put(r, p + "layer.0.SelfAttention.v.weight", 1 / Math.sqrt(d), inner, d);
            w.put(r, p + "layer.0.SelfAttention.o.weight", 1 / Math.sqrt(inner), d, inner);
            if (i == 0) {
                w.put(r, p + "layer.0.SelfAttention.relative_attention_bias.weight", 1, c.numBuckets, c.numHeads);
            }
            w.put(r, p + "layer.0.layer_norm.weight", 0.5, d);
            w.put(r, p + "layer.1.DenseReluDense.wi_0.weight", 1 / Math.sqrt(d), c.dFf, d);
            w.put(r, p + "layer.1.DenseReluDense.wi_1.weight", 1 / Math.sqrt(d), c.dFf, d);
            w.put(r, p + "layer.1.DenseReluDense.wo.weight", 1 / Math.sqrt(c.dFf), d, c.dFf);
            w.put(r, p + "layer.1.layer_norm.weight", 0.5, d);
        }
        w.put(r, "encoder.final_layer_norm.weight", 0.5, d);
        return w;
    }

    /** Uniform values of standard deviation about {@code scale} (norm weights: 1 ± scale). */
    private void put(SplittableRandom r, String key, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        boolean norm = key.endsWith("layer_norm.weight");
        for (int i = 0; i < t.size(); i++) {
            double u = r.nextDouble(-1, 1);
            t.data()[i] = (float) (norm ? 1 + scale * u : scale * Math.sqrt(3) * u);
        }
        tensors.put(key, WeightTensor.of(t));
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
