package jsora.models.stdit;

import java.util.Arrays;
import java.util.Map;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;
import jsora.weights.Checkpoint;

/**
 * Where the model's parameters come from, by checkpoint key. Every request states the shape the model needs, so a
 * checkpoint that does not fit fails with the key named, and a streaming loader or a test can serve the same requests.
 */
@FunctionalInterface
public interface Params {
    /** The parameter {@code key}, which must have {@code shape}; 16-bit weights stay 16-bit. */
    WeightTensor weight(String key, int... shape);

    /** The parameter as float32. */
    default Tensor tensor(String key, int... shape) {
        return weight(key, shape).toTensor();
    }

    /** Keys relative to {@code prefix} (e.g. {@code "spatial_blocks.3."}). */
    default Params under(String prefix) {
        Params outer = this;
        return (key, shape) -> outer.weight(prefix + key, shape);
    }

    /** Reads from a checkpoint (safetensors, torch zip, shards), checking shapes. */
    static Params of(Checkpoint checkpoint) {
        return checkpoint::weight;
    }

    /**
     * Serves tensors already read (e.g. one block pair's group from a streaming loader), checking shapes;
     * {@code source} names where they came from in error messages.
     */
    static Params of(Map<String, WeightTensor> tensors, String source) {
        return (key, shape) -> {
            WeightTensor w = tensors.get(key);
            if (w == null) {
                throw new CheckpointException(source + ": no tensor '" + key + "'");
            }
            checkShape(source, key, w.shape(), shape);
            return w;
        };
    }

    private static void checkShape(String source, String key, int[] actual, int[] needed) {
        if (!Arrays.equals(actual, needed)) {
            throw new CheckpointException(source + ": tensor '" + key + "' has shape " + Arrays.toString(actual)
                    + ", the model expects " + Arrays.toString(needed));
        }
    }
}
