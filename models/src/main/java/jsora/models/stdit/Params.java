package jsora.models.stdit;

import java.util.Arrays;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;
import jsora.weights.SafeTensors;

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

    /** Reads from a safetensors file, checking shapes. */
    static Params of(SafeTensors file) {
        return (key, shape) -> {
            SafeTensors.Entry e = file.entry(key);
            if (!Arrays.equals(e.shape, shape)) {
                throw new CheckpointException(file.path() + ": tensor '" + key + "' has shape " + Arrays.toString(e.shape)
                        + ", the model needs " + Arrays.toString(shape));
            }
            return file.weight(key);
        };
    }
}
