package jsora.models.stdit;

/**
 * Hands the forward pass its block pairs in order 0..depth−1, once per forward. The resident supplier keeps all of
 * them in memory; a streaming one (CI-DL) may load pair i+1 while pair i computes and drop pairs its memory budget
 * cannot keep: build each pair from its group of tensors with {@code BlockPair.load(Params.of(group, name), config, i)}.
 */
public interface BlockSupplier {
    int depth();

    /** Pair {@code i}, loading it first if needed. */
    BlockPair pair(int i);

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
}
