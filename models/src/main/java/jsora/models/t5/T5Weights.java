package jsora.models.t5;

import java.util.function.BiFunction;
import jsora.tensor.WeightTensor;
import jsora.weights.Checkpoint;

/**
 * Where the encoder's parameters come from, by checkpoint key: the narrow view of a {@link Checkpoint} the model
 * needs (tests and benchmarks serve it from memory). Every request states the shape the model needs, so a checkpoint
 * that does not fit fails with the file and key named. Blocks ask for their weights only when they are built, so a
 * supplier can load block i right before it runs (see {@link T5Blocks}).
 */
public interface T5Weights {
    /** The parameter {@code key}, which must have {@code shape}; 16-bit weights stay 16-bit. */
    WeightTensor weight(String key, int... shape);

    boolean contains(String key);

    /** Rows {@code ids} of the [rows, width] tensor {@code key} (an embedding lookup): [ids.length, width]. */
    WeightTensor rows(String key, int[] ids);

    /** The file the weights come from, for messages. */
    String source();

    /** Reads from a checkpoint (embedding rows read from disk one by one, never the whole table). */
    static T5Weights of(Checkpoint c) {
        return of(c, (key, w) -> w);
    }

    /** As {@link #of(Checkpoint)}, each weight passed through {@code onLoad} (key, weight) as it is read. */
    static T5Weights of(Checkpoint c, BiFunction<String, WeightTensor, WeightTensor> onLoad) {
        return new T5Weights() {
            @Override
            public WeightTensor weight(String key, int... shape) {
                return onLoad.apply(key, c.weight(key, shape));
            }

            @Override
            public boolean contains(String key) {
                return c.contains(key);
            }

            @Override
            public WeightTensor rows(String key, int[] ids) {
                return c.rows(key, ids);
            }

            @Override
            public String source() {
                return c.path().toString();
            }
        };
    }
}
