package jsora.models.stdit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.CheckpointException;
import jsora.weights.LoadStats;
import jsora.weights.StreamingLoader;
import jsora.weights.WeightGroup;

/**
 * Hands the forward pass its block pairs in order 0..depth−1, once per forward: all resident, or streamed (CI-DL).
 */
public interface BlockSupplier extends AutoCloseable {
    int depth();

    /** Pair {@code i}, loading it first if needed. */
    BlockPair pair(int i);

    /** What streaming did so far, if the pairs are streamed. */
    default Optional<LoadStats> stats() {
        return Optional.empty();
    }

    /** Releases what the supplier holds. */
    @Override
    default void close() {
    }

    /** All pairs loaded once and kept. */
    static BlockSupplier resident(Params p, STDiT3Config c) {
        BlockPair[] pairs = new BlockPair[c.depth];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = BlockPair.load(p, c, i);
        }
        return new BlockSupplier() {
            @Override
            public int depth() {
                return pairs.length;
            }

            @Override
            public BlockPair pair(int i) {
                return pairs[i];
            }
        };
    }

    /**
     * CI-DL: one {@link StreamingLoader} group per block pair ({@code spatial_blocks.i.*} + {@code temporal_blocks.i.*}),
     * cyclic since every denoising step runs all pairs. Pair i+1 is read while pair i computes; the leading pairs that
     * fit in {@code budgetBytes} (next to two streamed ones) stay resident, so with enough budget everything is read
     * once. The checkpoint must stay open until this supplier is closed.
     */
    static BlockSupplier streaming(Checkpoint checkpoint, STDiT3Config c, long budgetBytes) {
        List<List<String>> blocks = BlockOrder.blocks(checkpoint.keys(), "spatial_blocks.", "temporal_blocks.");
        if (blocks.size() != c.depth) {
            throw new CheckpointException(checkpoint.path() + ": " + blocks.size() + " block pairs, the config says depth "
                    + c.depth);
        }
        List<WeightGroup<BlockPair>> groups = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            int index = i;
            String name = "block pair " + i;
            groups.add(WeightGroup.tensors(checkpoint, name, blocks.get(i))
                    .then(t -> BlockPair.load(Params.of(t, checkpoint.path() + " (" + name + ")"), c, index)));
        }
        StreamingLoader<BlockPair> loader = new StreamingLoader<>(groups, budgetBytes, true);
        return new BlockSupplier() {
            @Override
            public int depth() {
                return loader.size();
            }

            @Override
            public BlockPair pair(int i) {
                return loader.get(i);
            }

            @Override
            public Optional<LoadStats> stats() {
                return Optional.of(loader.stats());
            }

            @Override
            public void close() {
                loader.close();
            }
        };
    }
}
