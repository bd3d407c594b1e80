package jsora.weights;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;

/**
 * A set of named tensors read lazily from disk: a safetensors file, a PyTorch zip checkpoint, or a sharded checkpoint.
 * Open one with {@link Checkpoints#open(String)}. Every problem is a {@link CheckpointException} naming the file and key.
 */
public interface Checkpoint extends AutoCloseable {
    /** The file (or shard index) this checkpoint was opened from. */
    Path path();

    /** The file format, for people: "safetensors", "torch.save zip", "sharded safetensors (3 files)". */
    String format();

    /** Tensor names in file order. */
    Set<String> keys();

    default boolean contains(String key) {
        return keys().contains(key);
    }

    /** Name, dtype and shape of a tensor, without reading it. */
    TensorInfo info(String key);

    /** Bytes the tensors {@code keys} take in memory once read (16-bit stay 16-bit, int8 with its scales). */
    default long memoryBytes(Collection<String> keys) {
        long sum = 0;
        for (String k : keys) {
            sum += info(k).memoryBytes();
        }
        return sum;
    }

    /** The tensor as stored: F32 stays float32, BF16/F16 stay 16-bit (F64 becomes float32). */
    WeightTensor weight(String key);

    /** {@link #weight(String)}, checking that the shape is the one the model expects. */
    default WeightTensor weight(String key, int... expectedShape) {
        TensorInfo info = info(key);
        if (!Arrays.equals(info.shape, expectedShape)) {
            throw new CheckpointException(path() + ": tensor '" + key + "' has shape " + Arrays.toString(info.shape)
                    + ", the model expects " + Arrays.toString(expectedShape));
        }
        return weight(key);
    }

    /** The tensor converted to float32. */
    default Tensor tensor(String key) {
        return weight(key).toTensor();
    }

    /** An integer or bool tensor, widened to long. */
    long[] longs(String key);

    /**
     * Rows {@code ids} of a tensor of shape [rows, ...] (an embedding lookup), reading only those rows from disk.
     * The result has shape [ids.length, ...] and the stored dtype.
     */
    WeightTensor rows(String key, int[] ids);

    /** The file's string metadata (safetensors {@code __metadata__}); empty where the format has none. */
    Map<String, String> metadata();

    @Override
    void close();
}
