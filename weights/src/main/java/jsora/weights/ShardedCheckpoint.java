package jsora.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jsora.tensor.WeightTensor;

/**
 * A checkpoint split into shards by a Hugging Face index ({@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json}): {"weight_map": {tensor name: shard file name}}. All shards are opened up front,
 * so a missing shard or a key its shard lacks is reported at once.
 */
public final class ShardedCheckpoint implements Checkpoint {
    /** An index larger than this is not an index. */
    private static final long MAX_INDEX_BYTES = 64L << 20;

    private final Path index;
    private final Map<String, Checkpoint> byKey = new LinkedHashMap<>();
    private final List<Checkpoint> shards = new ArrayList<>();

    private ShardedCheckpoint(Path index) {
        this.index = index;
    }

    /** Opens the index and every shard it names (shard file names relative to the index's folder). */
    public static ShardedCheckpoint open(Path index) {
        ShardedCheckpoint c = new ShardedCheckpoint(index);
        try {
            c.load();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void load() {
        Map<String, Checkpoint> byFile = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : weightMap().entrySet()) {
            String key = e.getKey();
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                throw new CheckpointException(index + ": weight_map entry '" + key + "' is not a file name");
            }
            String file = e.getValue().getAsString();
            if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.equals("..") || file.equals(".")
                    || file.indexOf('\0') >= 0) {
                throw new CheckpointException(index + ": shard name '" + file + "' of key '" + key
                        + "' must be a file name in the index's folder");
            }
            if (file.endsWith(".index.json")) {
                // indexes do not nest; one naming an index (itself, or one naming it back) would recurse forever
                throw new CheckpointException(index + ": shard '" + file + "' of key '" + key
                        + "' is itself a shard index; an index names weight files");
            }
            Checkpoint shard = byFile.get(file);
            if (shard == null) {
                Path p = index.resolveSibling(file);
                if (!Files.isRegularFile(p)) {
                    throw new CheckpointException(index + ": shard " + p + " (holding '" + key + "') is missing");
                }
                shard = Checkpoints.openFile(p);
                byFile.put(file, shard);
                shards.add(shard);
            }
            if (!shard.contains(key)) {
                throw new CheckpointException(shard.path() + ": no tensor '" + key + "', which the index " + index
                        + " places in this shard");
            }
            byKey.put(key, shard);
        }
    }

    private JsonObject weightMap() {
        try {
            if (Files.size(index) > MAX_INDEX_BYTES) {
                throw new CheckpointException(index + ": shard index larger than " + MAX_INDEX_BYTES + " bytes");
            }
            JsonElement root = JsonText.parse(Files.readString(index, StandardCharsets.UTF_8));
            JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
            if (map == null || !map.isJsonObject()) {
                throw new CheckpointException(index + ": shard index has no \"weight_map\" object");
            }
            return map.getAsJsonObject();
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read shard index: " + Checkpoints.describe(e), e);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(index + ": malformed shard index (" + e.getMessage() + ")", e);
        }
    }

    private Checkpoint shard(String key) {
        Checkpoint c = byKey.get(key);
        if (c == null) {
            throw Checkpoints.missing(this, key);
        }
        return c;
    }

    @Override
    public String format() {
        return "sharded " + (shards.isEmpty() ? "" : shards.get(0).format() + " ") + "(" + shards.size() + " files)";
    }

    @Override
    public Path path() {
        return index;
    }

    /** The shards, in the order the index first names them. */
    public List<Checkpoint> shards() {
        return Collections.unmodifiableList(shards);
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(byKey.keySet());
    }

    @Override
    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    @Override
    public TensorInfo info(String key) {
        return shard(key).info(key);
    }

    @Override
    public WeightTensor weight(String key) {
        return shard(key).weight(key);
    }

    @Override
    public long[] longs(String key) {
        return shard(key).longs(key);
    }

    @Override
    public WeightTensor rows(String key, int[] ids) {
        return shard(key).rows(key, ids);
    }

    /** The first shard's metadata. */
    @Override
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Collections.emptyMap() : shards.get(0).metadata();
    }

    @Override
    public void close() {
        for (Checkpoint c : shards) {
            c.close();
        }
    }
}
