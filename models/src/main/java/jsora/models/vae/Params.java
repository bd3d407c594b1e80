package jsora.models.vae;

import java.util.Arrays;
import java.util.SplittableRandom;
import jsora.tensor.DType;
import jsora.tensor.Half;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;
import jsora.weights.Checkpoint;

/**
 * Where a model's parameters come from, addressed by checkpoint key: a checkpoint (each tensor read when a layer
 * asks for it, kept at its stored precision, its shape checked), or random values in the right shapes (benchmarks).
 * {@link #child} scopes the keys under a prefix, so layer code reads like the reference's module tree.
 */
public final class Params {
    /** Fetches one parameter of the expected shape. */
    @FunctionalInterface
    public interface Store {
        WeightTensor get(String key, int[] shape);

        /** Whether the key exists; a random store has every key. */
        default boolean has(String key) {
            return true;
        }
    }

    private final Store store;
    private final String prefix;

    private Params(Store store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public static Params of(Store store) {
        return new Params(store, "");
    }

    /** Parameters read from a checkpoint; a missing key or a wrong shape fails naming the file and the key. */
    public static Params of(Checkpoint file) {
        return of(new Store() {
            @Override
            public WeightTensor get(String key, int[] shape) {
                if (!file.contains(key)) {
                    throw new CheckpointException(file.path() + ": missing tensor '" + key + "'");
                }
                return file.weight(key, shape);
            }

            @Override
            public boolean has(String key) {
                return file.contains(key);
            }
        });
    }

    /**
     * Random parameters in {@code dtype}: matrices and kernels uniform with variance 1/fan_in (fan_in = product of
     * all but the first dimension), 1-D "*.weight" ones, other 1-D zeros. Each key draws from its own seed, so the
     * values do not depend on the order layers are built in.
     */
    public static Params random(long seed, DType dtype) {
        return of(randomStore(seed, dtype));
    }

    /** The store behind {@link #random}. */
    public static Store randomStore(long seed, DType dtype) {
        return (key, shape) -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            if (shape.length == 1) {
                Arrays.fill(v, key.endsWith(".weight") ? 1f : 0f);
            } else {
                SplittableRandom r = new SplittableRandom(seed ^ key.hashCode() * 0x9E3779B97F4A7C15L);
                double a = Math.sqrt(3.0 / (n / shape[0]));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((2 * r.nextDouble() - 1) * a);
                }
            }
            return toDType(v, shape, dtype);
        };
    }

    /**
     * These parameters with float32 matrices and kernels rounded to {@code dtype} as they load (halving the memory
     * of an fp32 checkpoint); 1-D parameters and 16-bit weights are left as they are.
     */
    public Params storedAs(DType dtype) {
        if (dtype == DType.F32) {
            return this;
        }
        return new Params(new Store() {
            @Override
            public WeightTensor get(String key, int[] shape) {
                WeightTensor w = store.get(key, shape);
                return w.dtype() != DType.F32 || w.rank() < 2 ? w : toDType(w.f32(), w.shape(), dtype);
            }

            @Override
            public boolean has(String key) {
                return store.has(key);
            }
        }, prefix);
    }

    private static WeightTensor toDType(float[] v, int[] shape, DType dtype) {
        if (dtype == DType.F32) {
            return WeightTensor.ofF32(v, shape);
        }
        short[] bits = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = dtype == DType.BF16 ? Half.floatToBf16(v[i]) : Half.floatToF16(v[i]);
        }
        return WeightTensor.ofHalf(dtype, bits, shape);
    }

    /** The parameters under {@code name.}. */
    public Params child(String name) {
        return new Params(store, prefix + name + ".");
    }

    public Params child(int index) {
        return child(Integer.toString(index));
    }

    /** Whether the parameter exists. */
    public boolean has(String name) {
        return store.has(prefix + name);
    }

    /** A weight of the given shape, kept as stored (fp32, bf16 or fp16). */
    public WeightTensor weight(String name, int... shape) {
        return store.get(prefix + name, shape);
    }

    /** A 1-D parameter (bias, norm scale) as float32. */
    public Tensor vector(String name, int n) {
        return weight(name, n).toTensor();
    }
}
