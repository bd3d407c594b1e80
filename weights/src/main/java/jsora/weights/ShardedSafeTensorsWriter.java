package jsora.weights;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a checkpoint into a model folder as Hugging Face lays out safetensors weights: {@code model.safetensors} when
 * it fits in one shard, else {@code model-0000K-of-0000N.safetensors} (a new shard when the next tensor would pass the
 * limit) with {@code model.safetensors.index.json} ({"metadata": {"total_size"}, "weight_map": {key: shard}}). Each
 * shard is written with {@link SafeTensorsWriter} (atomically, one tensor in memory at a time); an int8 weight and its
 * scales stay in one shard, and the index names only the weight ({@link Int8Weights}).
 */
public final class ShardedSafeTensorsWriter {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    /** Told about each shard before it is written. */
    @FunctionalInterface
    public interface Progress {
        void writing(Path file, long bytes);
    }

    private ShardedSafeTensorsWriter() {
    }

    /**
     * Writes {@code keys} (in this order) of {@code src} into {@code dir}; returns the shard files. Tensors whose
     * values became ±inf in a 16-bit type are added to {@code overflows}.
     */
    public static List<Path> write(Path dir, Checkpoint src, List<String> keys, OutputType type,
                                   Map<String, String> metadata, long maxShardBytes, Progress progress,
                                   Overflows overflows) {
        List<List<String>> shards = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        long total = 0;
        for (String k : keys) {
            long b = type.outputBytes(k, src.info(k));
            int last = shards.size() - 1;
            if (last < 0 || (sizes.get(last) + b > maxShardBytes && !shards.get(last).isEmpty())) {
                shards.add(new ArrayList<>());
                sizes.add(0L);
                last++;
            }
            shards.get(last).add(k);
            sizes.set(last, sizes.get(last) + b);
            total += b;
        }
        if (shards.isEmpty()) {
            shards.add(new ArrayList<>());
            sizes.add(0L);
        }
        List<Path> files = new ArrayList<>();
        JsonObject weightMap = new JsonObject();
        for (int i = 0; i < shards.size(); i++) {
            String name = shards.size() == 1 ? SINGLE
                    : String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            Path f = dir.resolve(name);
            progress.writing(f, sizes.get(i));
            SafeTensorsWriter.write(f, src, shards.get(i), type, metadata, overflows);
            files.add(f);
            for (String k : shards.get(i)) {
                weightMap.addProperty(k, name);
            }
        }
        if (shards.size() > 1) {
            writeIndex(dir.resolve(INDEX), total, weightMap);
        }
        return files;
    }

    private static void writeIndex(Path index, long total, JsonObject weightMap) {
        JsonObject root = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("total_size", total);
        root.add("metadata", meta);
        root.add("weight_map", weightMap);
        byte[] json = new GsonBuilder().setPrettyPrinting().create().toJson(root).getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(index, ch -> {
                ByteBuffer b = ByteBuffer.wrap(json);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            });
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot write: " + Checkpoints.describe(e), e);
        }
    }
}
