package jsora.models.t5;

import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import jsora.weights.CheckpointException;

/**
 * The token embedding {@code shared} (T5 has no absolute positions and does not scale by √d_model). Only the rows of
 * the ids being encoded are read from the checkpoint, never the whole [vocab, d_model] table.
 */
public final class T5Embedding {
    /** The key {@code save_pretrained} keeps, and the tied copy a full state dict also carries. */
    static final String SHARED = "shared.weight";
    static final String ENCODER_COPY = "encoder.embed_tokens.weight";

    private final T5Weights weights;
    private final String key;
    private final T5Config config;

    public T5Embedding(T5Weights weights, T5Config config) {
        this.weights = weights;
        this.config = config;
        if (weights.contains(SHARED)) {
            key = SHARED;
        } else if (weights.contains(ENCODER_COPY)) {
            key = ENCODER_COPY;
        } else {
            throw new CheckpointException(weights.source() + ": no token embedding (neither '" + SHARED + "' nor '"
                    + ENCODER_COPY + "')");
        }
    }

    /** The checkpoint key the rows are read from. */
    public String key() {
        return key;
    }

    /** E[ids]: [ids.length, d_model] float32. */
    public Tensor forward(int[] ids) {
        for (int id : ids) {
            if (id < 0 || id >= config.vocabSize) {
                throw new IllegalArgumentException(weights.source() + ": token id " + id + " is outside the model's "
                        + "vocabulary [0, " + config.vocabSize + ") (vocab_size); the tokenizer does not belong to it");
            }
        }
        WeightTensor rows = weights.rows(key, ids);
        if (rows.rank() != 2 || rows.dim(0) != ids.length || rows.dim(1) != config.dModel) {
            throw new CheckpointException(weights.source() + ": '" + key + "' rows have shape "
                    + java.util.Arrays.toString(rows.shape()) + ", the model needs [" + ids.length + ", "
                    + config.dModel + "]");
        }
        return rows.toTensor().copy();
    }
}
