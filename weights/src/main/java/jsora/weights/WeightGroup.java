package jsora.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import jsora.tensor.WeightTensor;

/**
 * A unit of weights the {@link StreamingLoader} loads and releases as a whole (typically one transformer block): a
 * name for messages, its size in memory (known before loading, from the checkpoint header) and how to load it.
 *
 * @param <T> what loading produces; if it is {@link AutoCloseable}, it is closed when the loader releases it
 */
public final class WeightGroup<T> {
    private final String name;
    private final long bytes;
    private final Supplier<? extends T> load;

    private WeightGroup(String name, long bytes, Supplier<? extends T> load) {
        if (bytes < 0) {
            throw new IllegalArgumentException("group " + name + ": negative size " + bytes);
        }
        this.name = name;
        this.bytes = bytes;
        this.load = load;
    }

    /** A group of {@code bytes} bytes produced by {@code load} (which reports problems as exceptions). */
    public static <T> WeightGroup<T> of(String name, long bytes, Supplier<? extends T> load) {
        return new WeightGroup<>(name, bytes, load);
    }

    /** The tensors {@code keys} of a checkpoint, read as stored (16-bit floats stay 16-bit), in key order. */
    public static WeightGroup<Map<String, WeightTensor>> tensors(Checkpoint ckpt, String name, List<String> keys) {
        List<String> own = List.copyOf(keys);
        return new WeightGroup<>(name, ckpt.memoryBytes(own), () -> {
            Map<String, WeightTensor> m = new LinkedHashMap<>();
            for (String k : own) {
                m.put(k, ckpt.weight(k));
            }
            return Collections.unmodifiableMap(m);
        });
    }

    /** The same group, with {@code build} applied to what it loads (e.g. constructing a block from its tensors). */
    public <R> WeightGroup<R> then(Function<? super T, ? extends R> build) {
        return new WeightGroup<>(name, bytes, () -> build.apply(load.get()));
    }

    public String name() {
        return name;
    }

    /** Bytes the loaded group occupies (what the memory budget counts). */
    public long bytes() {
        return bytes;
    }

    T load() {
        return load.get();
    }
}
