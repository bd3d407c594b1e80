package jsora.models.t5;

import java.util.ArrayList;
import java.util.List;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.LoadStats;
import jsora.weights.StreamingLoader;
import jsora.weights.WeightGroup;

/**
 * The encoder's blocks through the {@link StreamingLoader} (CI-DL): one pass, so block i+1 is read from the checkpoint
 * while block i computes and block i is dropped once block i+1 is taken; about two blocks' weights are resident
 * (the budget must hold two blocks for the prefetch to happen). {@link #close} releases the last one.
 */
public final class StreamedBlocks implements T5Blocks {
    private final StreamingLoader<T5Block> loader;

    /** @param budget bytes the loaded blocks may occupy together (at least one block; two to prefetch) */
    public StreamedBlocks(Checkpoint ckpt, T5Config c, long budget) {
        T5Weights w = T5Weights.of(ckpt);
        List<List<String>> keys = BlockOrder.blocks(ckpt.keys(), "encoder.block.");
        if (keys.size() != c.numLayers) {
            throw new IllegalArgumentException(ckpt.path() + ": holds " + keys.size() + " encoder blocks, the config "
                    + c.numLayers);
        }
        List<WeightGroup<T5Block>> groups = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int index = i;
            long bytes = 0;
            for (String k : keys.get(i)) {
                bytes += ckpt.info(k).memoryBytes();
            }
            groups.add(WeightGroup.of("T5 encoder block " + i, bytes, () -> T5Block.load(w, c, index)));
        }
        this.loader = new StreamingLoader<>(groups, budget, false);
    }

    @Override
    public int count() {
        return loader.size();
    }

    @Override
    public T5Block block(int i) {
        return loader.get(i);
    }

    /** Loads, bytes read, time compute waited for weights, peak resident bytes. */
    public LoadStats stats() {
        return loader.stats();
    }

    @Override
    public void close() {
        loader.close();
    }
}
