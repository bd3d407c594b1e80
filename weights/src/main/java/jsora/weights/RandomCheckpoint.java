package jsora.weights;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * A checkpoint of random weights, generated when read and the same for a (seed, key) every time: N(0, 0.02²) values,
 * except 1-D norm scales (keys with "norm" ending in ".weight") at 1 + N(0, 0.02²), so a forward pass stays finite.
 * Tensors that are not learned (e.g. rotary frequencies) can be given fixed values. For benchmarks at full size
 * without a download, and to write such a checkpoint to disk in a real model's layout.
 */
public final class RandomCheckpoint implements Checkpoint {
    private static final double STD = 0.02;

    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final Map<String, float[]> fixed;
    private final DType dtype;
    private final long seed;
    private final Map<String, String> metadata;

    /** @param shapes key → shape, in file order */
    public RandomCheckpoint(Map<String, int[]> shapes, DType dtype, long seed, Map<String, String> metadata) {
        this(shapes, Map.of(), dtype, seed, metadata);
    }

    /** @param fixed key → values for keys whose values are given, not random (each length = the shape's size) */
    public RandomCheckpoint(Map<String, int[]> shapes, Map<String, float[]> fixed, DType dtype, long seed,
            Map<String, String> metadata) {
        this.dtype = dtype;
        this.seed = seed;
        this.fixed = Map.copyOf(fixed);
        this.metadata = Map.copyOf(metadata);
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            TensorInfo info = TensorInfo.of(e.getKey(), StorageType.of(dtype), e.getValue());
            float[] f = fixed.get(e.getKey());
            if (f != null && f.length != info.numel()) {
                throw new IllegalArgumentException("fixed values of '" + e.getKey() + "': " + f.length + " for "
                        + info.numel() + " elements");
            }
            infos.put(e.getKey(), info);
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
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        float[] given = fixed.get(key);
        if (given != null) {
            System.arraycopy(given, 0, v, 0, v.length);
        } else {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode());
            double mean = shape.length == 1 && key.contains("norm") && key.endsWith(".weight") ? 1 : 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (mean + STD * r.nextGaussian());
            }
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
