package jsora.cli.bench;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.weights.Checkpoint;
import jsora.weights.CheckpointException;
import jsora.weights.StorageType;
import jsora.weights.TensorInfo;

/**
 * A checkpoint of random weights, generated when read (the same values for a key every time): matrices uniform with
 * standard deviation 1/√fan_in, vectors (norm weights) 1 ± 0.1·√3·u. For benchmarks at full size without a download,
 * and to write such a checkpoint to disk in the real layout.
 */
final class RandomCheckpoint implements Checkpoint {
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final DType dtype;
    private final Map<String, String> metadata;

    /** @param shapes key → shape, in file order */
    RandomCheckpoint(Map<String, int[]> shapes, DType dtype, Map<String, String> metadata) {
        this.dtype = dtype;
        this.metadata = Map.copyOf(metadata);
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            infos.put(e.getKey(), TensorInfo.of(e.getKey(), StorageType.of(dtype), e.getValue()));
        }
    }

    @Override
    public Path path() {
        return Path.of("random-weights");
    }

    @Override
    public String format() {
        return "random weights (" + dtype + ")";
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(infos.keySet());
    }

    @Override
    public TensorInfo info(String key) {
        TensorInfo i = infos.get(key);
        if (i == null) {
            throw new CheckpointException(path() + ": no tensor '" + key + "'");
        }
        return i;
    }

    @Override
    public WeightTensor weight(String key) {
        int[] shape = info(key).shape;
        SplittableRandom r = new SplittableRandom(key.hashCode());
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        boolean vector = shape.length == 1;
        double a = Math.sqrt(3) * (vector ? 0.1 : 1 / Math.sqrt(shape[shape.length - 1]));
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((vector ? 1 : 0) + r.nextDouble(-a, a));
        }
        return WeightTensor.convert(t, dtype);
    }

    @Override
    public long[] longs(String key) {
        throw new CheckpointException(path() + ": tensor '" + key + "' is a float tensor");
    }

    @Override
    public WeightTensor rows(String key, int[] ids) {
        WeightTensor all = weight(key);
        int width = all.dim(1);
        float[] out = new float[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            all.toFloat(ids[i] * width, out, i * width, width);
        }
        return WeightTensor.convert(Tensor.wrap(out, new int[] {ids.length, width}), dtype);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
    }
}
