package jsora.models.t5;

/**
 * Hands the encoder its blocks in order 0..count−1, each right before it runs; the encoder keeps no reference to a
 * block once it has run. This is the seam for streaming (On-device Sora's CI-DL): a supplier may load block i+1 while
 * block i computes and drop block i afterwards, so only about two blocks' weights are ever resident.
 */
public interface T5Blocks extends AutoCloseable {
    int count();

    /** Block {@code i}, loading it if needed. Called in order 0, 1, ..., count−1 (then 0 again for the next pass). */
    T5Block block(int i);

    /** Releases whatever is still loaded. */
    @Override
    default void close() {
    }

    /** Reads each block from {@code w} when it is asked for and keeps nothing: one block resident, no prefetch. */
    static T5Blocks onDemand(T5Weights w, T5Config c) {
        return new T5Blocks() {
            @Override
            public int count() {
                return c.numLayers;
            }

            @Override
            public T5Block block(int i) {
                return T5Block.load(w, c, i);
            }
        };
    }

    /** Every block loaded once and kept (small models, tests encoding many prompts). */
    static T5Blocks resident(T5Weights w, T5Config c) {
        T5Block[] blocks = new T5Block[c.numLayers];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = T5Block.load(w, c, i);
        }
        return new T5Blocks() {
            @Override
            public int count() {
                return blocks.length;
            }

            @Override
            public T5Block block(int i) {
                return blocks[i];
            }
        };
    }
}
