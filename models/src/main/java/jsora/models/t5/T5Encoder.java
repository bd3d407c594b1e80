package jsora.models.t5;

import java.util.List;
import jsora.models.Taps;
import jsora.nn.RmsNorm;
import jsora.tensor.Tensor;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.ModelLocator;

/**
 * The T5 v1.1 encoder as HF's {@code T5EncoderModel} computes it, called the way Open-Sora 1.2's
 * {@code T5Encoder.encode} does: token embedding (unscaled), the blocks (block 0's relative position bias computed
 * once and reused by all), {@code final_layer_norm}; dropout is the identity at inference.
 *
 * <p>By default only the real tokens of each prompt (up to and including {@code </s>}) are encoded: STDiT3 reads
 * only those positions, and with the padded keys masked out they do not depend on the padding, so the result is the
 * same at a fraction of the work (one 16-token prompt instead of 300 positions). {@link Layout#PADDED} runs all
 * positions like the reference.
 */
public final class T5Encoder implements AutoCloseable {
    /** Which positions are encoded. */
    public enum Layout {
        /** Only the real tokens of each prompt, one prompt after another; padded positions of the output are zero. */
        REAL_TOKENS,
        /** Every position of the [B, L] input, padded keys masked with float32's lowest value (HF's computation). */
        PADDED
    }


    private final T5Config config;
    private final T5Embedding embedding;
    private final RmsNorm finalNorm;
    private final T5Blocks blocks;
    private final Checkpoint checkpoint;

    public T5Encoder(T5Config config, T5Embedding embedding, RmsNorm finalNorm, T5Blocks blocks) {
        this(config, embedding, finalNorm, blocks, null);
    }

    private T5Encoder(T5Config config, T5Embedding embedding, RmsNorm finalNorm, T5Blocks blocks,
            Checkpoint checkpoint) {
        if (blocks.count() != config.numLayers) {
            throw new IllegalArgumentException("T5 config has " + config.numLayers + " layers, the block supplier "
                    + blocks.count());
        }
        this.config = config;
        this.embedding = embedding;
        this.finalNorm = finalNorm;
        this.blocks = blocks;
        this.checkpoint = checkpoint;
    }

    /**
     * Opens an encoder checkpoint as {@link ModelLocator} finds it (a file with its {@code config.json} beside it, a
     * model folder, or a hub id in the local cache; safetensors, sharded or PyTorch {@code .bin}), its blocks streamed
     * within {@code budget} bytes (two blocks' worth lets block i+1 load while block i runs). Without a config.json
     * the checkpoint's metadata must hold the config. {@link #close} releases the weights and the file.
     */
    public static T5Encoder open(String spec, long budget) {
        ModelLocator.Location at = ModelLocator.locate(spec);
        Checkpoint ckpt = Checkpoints.open(at.checkpoint());
        try {
            T5Config config = at.config() != null ? T5Config.read(at.config()) : configFromMetadata(ckpt);
            T5Weights w = T5Weights.of(ckpt);
            return new T5Encoder(config, new T5Embedding(w, config), finalNorm(w, config),
                    new StreamedBlocks(ckpt, config, budget), ckpt);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    private static T5Config configFromMetadata(Checkpoint ckpt) {
        try {
            return T5Config.fromMetadata(ckpt.metadata());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ckpt.path() + ": no config.json beside it and no usable config in its"
                    + " metadata (" + e.getMessage() + ")", e);
        }
    }

    /** An encoder reading its blocks from {@code w} through {@code blocks}. */
    public static T5Encoder create(T5Config config, T5Weights w, T5Blocks blocks) {
        return new T5Encoder(config, new T5Embedding(w, config), finalNorm(w, config), blocks);
    }

    private static RmsNorm finalNorm(T5Weights w, T5Config config) {
        return T5Block.norm(w, "encoder.final_layer_norm.weight", config);
    }

    /** An encoder that reads each block from {@code w} right before it runs. */
    public static T5Encoder create(T5Config config, T5Weights w) {
        return create(config, w, T5Blocks.onDemand(w, config));
    }

    public T5Config config() {
        return config;
    }

    /** Encodes tokenized prompts (all of the same fixed length), only their real tokens. */
    public T5Output encode(List<TokenizedPrompt> prompts) {
        int[][] ids = new int[prompts.size()][];
        int[][] mask = new int[prompts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = prompts.get(i).ids();
            mask[i] = prompts.get(i).attentionMask();
        }
        return encode(ids, mask);
    }

    /** Encodes only the real tokens (the default). */
    public T5Output encode(int[][] ids, int[][] mask) {
        return encode(ids, mask, Layout.REAL_TOKENS, Taps.NONE);
    }

    /**
     * @param ids  token ids [B][L], right-padded
     * @param mask attention mask [B][L], 1 for real tokens (a run of ones, then zeros)
     * @param taps receives {@code embeddings}, {@code block_i_after_attention}, {@code block_i_output} and
     *             {@code last_hidden_state} as [T, d_model] token matrices (T = B·L padded, Σ lengths otherwise)
     */
    public T5Output encode(int[][] ids, int[][] mask, Layout layout, Taps taps) {
        int b = ids.length;
        if (b == 0 || mask.length != b) {
            throw new IllegalArgumentException("T5 input: " + b + " id rows and " + mask.length + " mask rows");
        }
        int l = ids[0].length;
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            if (ids[i].length != l || mask[i].length != l) {
                throw new IllegalArgumentException("T5 input: row " + i + " has " + ids[i].length + " ids and "
                        + mask[i].length + " mask values, row 0 has " + l + " ids");
            }
            lengths[i] = realLength(mask[i], i);
        }
        boolean padded = layout == Layout.PADDED;
        int[] flat = padded ? flatten(ids, l) : realIds(ids, lengths);
        Tensor x = embedding.forward(flat);
        taps.tap("embeddings", x);
        Sequences seqs = null;
        for (int i = 0; i < blocks.count(); i++) {
            T5Block block = blocks.block(i);
            if (i == 0) {
                RelativePositionBias positions = block.positionBias();
                seqs = padded ? Sequences.padded(mask, positions) : Sequences.packed(lengths, positions);
            }
            x = block.forward(x, seqs, taps);
        }
        finalNorm.forward(x, x);
        taps.tap("last_hidden_state", x);
        return output(x, padded, b, l, lengths);
    }

    /** The number of leading ones; the rest must be zeros (right padding). */
    private static int realLength(int[] mask, int row) {
        int n = 0;
        while (n < mask.length && mask[n] == 1) {
            n++;
        }
        for (int k = n; k < mask.length; k++) {
            if (mask[k] != 0) {
                throw new IllegalArgumentException("T5 input: attention mask row " + row
                        + " is not ones followed by zeros (value " + mask[k] + " at " + k + ")");
            }
        }
        return n;
    }

    private static int[] flatten(int[][] ids, int l) {
        int[] flat = new int[ids.length * l];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, i * l, l);
        }
        return flat;
    }

    private static int[] realIds(int[][] ids, int[] lengths) {
        int total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (lengths[i] == 0) {
                throw new IllegalArgumentException("T5 input: prompt " + i + " has no real token (its mask is all"
                        + " zero; the tokenizer always adds </s>)");
            }
            total += lengths[i];
        }
        int[] flat = new int[total];
        int t = 0;
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, t, lengths[i]);
            t += lengths[i];
        }
        return flat;
    }

    /** y [B, 1, L, d] from the token matrix, mask [B, L]. */
    private T5Output output(Tensor x, boolean padded, int b, int l, int[] lengths) {
        int d = config.dModel;
        Tensor y = Tensor.zeros(b, 1, l, d);
        Tensor mask = Tensor.zeros(b, l);
        int t = 0;
        for (int i = 0; i < b; i++) {
            int rows = padded ? l : lengths[i];
            y.get(i).get(0).slice(0, rows).copyFrom(x.slice(t, t + rows));
            t += rows;
            mask.get(i).slice(0, lengths[i]).fill(1f);
        }
        return new T5Output(y, mask, lengths);
    }

    /** The block supplier (e.g. {@link StreamedBlocks}, for its load statistics). */
    public T5Blocks blocks() {
        return blocks;
    }

    /** Releases the blocks' weights (a streaming supplier's resident groups), and the checkpoint {@link #open} opened. */
    @Override
    public void close() {
        blocks.close();
        if (checkpoint != null) {
            checkpoint.close();
        }
    }
}
