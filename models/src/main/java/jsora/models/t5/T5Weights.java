package jsora.models.t5;

import java.util.Arrays;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;
import jsora.weights.SafeTensors;

/**
 * Where the encoder's parameters come from, by checkpoint key. Every request states the shape the model needs, so a
 * checkpoint that does not fit fails with the file and key named. Blocks ask for their weights only when they are
 * built, so a supplier can load block i right before it runs (see {@link T5Blocks}).
 */
public interface T5Weights {
    /** The parameter {@code key}, which must have {@code shape}; 16-bit weights stay 16-bit. */
    WeightTensor weight(String key, int... shape);

    boolean contains(String key);

    /** Rows {@code ids} of the [rows, width] tensor {@code key} (an embedding lookup): [ids.length, width]. */
    WeightTensor rows(String key, int[] ids);

    /** The file the weights come from, for messages. */
    String source();

    /** Reads from a safetensors file. */
    static T5Weights of(SafeTensors file) {
        return new T5Weights() {
            @Override
            public WeightTensor weight(String key, int... shape) {
                SafeTensors.Entry e = file.entry(key);
                if (!Arrays.equals(e.shape, shape)) {
                    throw new CheckpointException(file.path() + ": tensor '" + key + "' has shape "
                            + Arrays.toString(e.shape) + ", the model needs " + Arrays.toString(shape));
                }
                return file.weight(key);
            }

            @Override
            public boolean contains(String key) {
                return file.contains(key);
            }

            @Override
            public WeightTensor rows(String key, int[] ids) {
                return T5Embedding.gather(file.weight(key), ids);
            }

            @Override
            public String source() {
                return file.path().toString();
            }
        };
    }
}
