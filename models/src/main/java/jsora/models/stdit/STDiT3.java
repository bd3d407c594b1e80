package jsora.models.stdit;

import java.nio.file.Path;
import java.util.Optional;
import jsora.models.Taps;
import jsora.nn.Activation;
import jsora.nn.Linear;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Elementwise;
import jsora.weights.Checkpoint;
import jsora.weights.CheckpointException;
import jsora.weights.Checkpoints;
import jsora.weights.LoadStats;
import jsora.weights.ModelLocator;
import jsora.weights.ModelLocator.Location;

/**
 * Open-Sora 1.2's STDiT3 (opensora/models/stdit/stdit3.py at v1.2.0): the video diffusion transformer that predicts
 * the rectified-flow velocity. Fields are named like the checkpoint keys. The block pairs come from a
 * {@link BlockSupplier} so they can be streamed; everything else is resident.
 */
public final class STDiT3 implements AutoCloseable {
    private final STDiT3Config config;
    private final PatchEmbed3D xEmbedder;
    private final TimestepEmbedder tEmbedder;
    private final TimestepEmbedder fpsEmbedder;
    private final Linear tBlock;
    private final CaptionEmbedder yEmbedder;
    private final Tensor ropeFreqs;
    private final BlockSupplier blocks;
    private final FinalLayer finalLayer;
    private final Checkpoint streamedFrom;

    private STDiT3(STDiT3Config config, Params p, BlockSupplier blocks, Checkpoint streamedFrom) {
        int h = config.hiddenSize;
        this.config = config;
        this.xEmbedder = PatchEmbed3D.load(p.under("x_embedder."), config);
        this.tEmbedder = TimestepEmbedder.load(p.under("t_embedder."), h);
        this.fpsEmbedder = TimestepEmbedder.load(p.under("fps_embedder."), h);
        this.tBlock = new Linear(p.weight("t_block.1.weight", 6 * h, h), p.tensor("t_block.1.bias", 6 * h));
        this.yEmbedder = CaptionEmbedder.load(p.under("y_embedder."), config);
        this.ropeFreqs = p.tensor("rope.freqs", config.headDim() / 2);
        this.finalLayer = FinalLayer.load(p.under("final_layer."), config);
        if (blocks.depth() != config.depth) {
            throw new IllegalArgumentException("block supplier has " + blocks.depth() + " pairs, config depth " + config.depth);
        }
        this.blocks = blocks;
        this.streamedFrom = streamedFrom;
    }

    /** The model with its non-block parameters from {@code p} and block pairs from {@code blocks}. */
    public static STDiT3 create(STDiT3Config config, Params p, BlockSupplier blocks) {
        return new STDiT3(config, p, blocks, null);
    }

    /** Everything resident, from {@code p}. */
    public static STDiT3 create(STDiT3Config config, Params p) {
        return new STDiT3(config, p, BlockSupplier.resident(p, config), null);
    }

    /**
     * Loads a model folder ({@code config.json} beside {@code model.safetensors}, shards or a torch checkpoint, as
     * Hugging Face stores it), all resident.
     */
    public static STDiT3 load(Path dir) {
        Location at = ModelLocator.inFolder(dir);
        STDiT3Config c = config(at);
        try (Checkpoint ckpt = Checkpoints.open(at.checkpoint())) {
            return create(c, Params.of(ckpt));
        }
    }

    /**
     * Loads a model folder with its block pairs streamed (CI-DL) under {@code budgetBytes} of weights; the rest is
     * resident. Close the model to stop the loader and release the checkpoint.
     */
    public static STDiT3 load(Path dir, long budgetBytes) {
        Location at = ModelLocator.inFolder(dir);
        STDiT3Config c = config(at);
        Checkpoint ckpt = Checkpoints.open(at.checkpoint());
        BlockSupplier streamed = null;
        try {
            streamed = BlockSupplier.streaming(ckpt, c, budgetBytes);
            return new STDiT3(c, Params.of(ckpt), streamed, ckpt);
        } catch (RuntimeException e) {
            if (streamed != null) {
                streamed.close();
            }
            ckpt.close();
            throw e;
        }
    }

    /** The config.json of a model folder. */
    public static STDiT3Config config(Path dir) {
        return config(ModelLocator.inFolder(dir));
    }

    private static STDiT3Config config(Location at) {
        if (at.config() == null) {
            throw new CheckpointException(at.checkpoint().getParent() + ": no config.json beside the STDiT3 weights");
        }
        return STDiT3Config.read(at.config());
    }

    /** CI-DL's statistics (loads, stalls, peak resident bytes) if the block pairs are streamed. */
    public Optional<LoadStats> streamingStats() {
        return blocks.stats();
    }

    /** Stops streaming and releases the checkpoint, if the blocks are streamed. */
    @Override
    public void close() {
        blocks.close();
        if (streamedFrom != null) {
            streamedFrom.close();
        }
    }

    public STDiT3Config config() {
        return config;
    }

    /** {@code y_embedder}: the null caption for the unconditional half, and the projection. */
    public CaptionEmbedder yEmbedder() {
        return yEmbedder;
    }

    /**
     * The CFG batch's caption input [2, 1, L, Cc]: the prompt's encoding {@code cond} [1, 1, L, Cc] (or [L, Cc]) then
     * the model's null caption.
     */
    public Tensor cfgCaption(Tensor cond) {
        Tensor nul = yEmbedder.nullCaption();
        if (cond.size() != nul.size()) {
            throw new IllegalArgumentException("caption " + cond + " must have " + nul.dim(0) + " x " + nul.dim(1)
                    + " values like the null caption");
        }
        Tensor y = Tensor.zeros(2, 1, nul.dim(0), nul.dim(1));
        y.get(0).copyFrom(cond);
        y.get(1).copyFrom(nul);
        return y;
    }

    /** The velocity: the first {@code inChannels} channels of {@code out} [B, 2·Cin, T, H, W] (learned sigma dropped). */
    public Tensor velocity(Tensor out) {
        if (!config.predSigma) {
            return out;
        }
        int b = out.dim(0);
        int half = out.dim(1) / 2;
        int per = out.size() / b;
        int[] shape = out.shape();
        shape[1] = half;
        Tensor v = Tensor.zeros(shape);
        for (int i = 0; i < b; i++) {
            System.arraycopy(out.data(), out.offset() + i * per, v.data(), i * per / 2, per / 2);
        }
        return v;
    }

    public Tensor forward(Input in) {
        return forward(in, Taps.NONE);
    }

    /** out [B, outChannels, T, H, W] (channels 0..Cin−1 are the velocity when pred_sigma). */
    public Tensor forward(Input in, Taps taps) {
        Tensor x = in.x;
        int h = config.hiddenSize;
        if (x.rank() != 5 || x.dim(1) != config.inChannels) {
            throw new IllegalArgumentException("x must be [B, " + config.inChannels + ", T, H, W], got " + x);
        }
        int b = x.dim(0);
        if (in.timestep.length != b) {
            throw new IllegalArgumentException("timestep has " + in.timestep.length + " values for batch " + b);
        }
        int[] ps = config.patchSize;
        int frames = PatchEmbed3D.ceilDiv(x.dim(2), ps[0]);
        int hp = PatchEmbed3D.ceilDiv(x.dim(3), ps[1]);
        int wp = PatchEmbed3D.ceilDiv(x.dim(4), ps[2]);
        int s = hp * wp;
        if (in.xMask != null) {
            for (boolean[] row : in.xMask) {
                if (in.xMask.length != b || row.length != frames) {
                    throw new IllegalArgumentException("x_mask must be [" + b + "][" + frames + "] (batch x frames)");
                }
            }
        }

        double scale = Math.sqrt(in.height * in.width) / config.inputSqSize;
        Tensor pos = PositionEmbedding2D.compute(h, hp, wp, scale, (int) Math.round(Math.sqrt(s)));
        taps.tap("pos_emb", pos.reshape(1, s, h));

        Tensor t = tEmbedder.forward(in.timestep);
        taps.tap("t_embedder", t);
        Tensor fps = fpsEmbedder.forward(in.fps(b));
        taps.tap("fps_embedder", fps);
        Elementwise.add(t, fps, t);
        taps.tap("t", t);
        Tensor tMlp = tBlock(t);
        taps.tap("t_mlp", tMlp);
        Tensor t0 = null;
        Tensor t0Mlp = null;
        if (in.xMask != null) {
            t0 = tEmbedder.forward(new float[b]);
            taps.tap("t0_embedder", t0);
            Elementwise.add(t0, fps, t0);
            taps.tap("t0", t0);
            t0Mlp = tBlock(t0);
            taps.tap("t0_mlp", t0Mlp);
        }

        TextCondition text = yEmbedder.encode(in.y, in.mask);
        if (text.batch() != b) {
            throw new IllegalArgumentException("y has " + text.batch() + " captions for batch " + b);
        }
        taps.tap("y_compact", text.tokens.reshape(1, -1, h));
        float[] lens = new float[b];
        for (int i = 0; i < b; i++) {
            lens[i] = text.lens[i];
        }
        taps.tap("y_lens", Tensor.wrap(lens, new int[] {b}));

        Tensor tokens = xEmbedder.forward(x);
        taps.tap("x_embedder", tokens);
        Elementwise.add(tokens, pos, tokens);
        taps.tap("x_plus_pos", tokens);

        boolean merge = in.mergeFrames && FrameMerge.applies(frames);
        BlockContext ctx = new BlockContext(frames, s, text, tMlp, t0Mlp, in.xMask, merge,
                RotaryTable.of(ropeFreqs, frames), RotaryTable.of(ropeFreqs, FrameMerge.mergedLength(frames)), taps);
        for (int i = 0; i < blocks.depth(); i++) {
            blocks.pair(i).forward(tokens, ctx, i);
        }

        Tensor last = finalLayer.forward(tokens, t, t0, in.xMask, frames);
        taps.tap("final_layer", last);
        return unpatchify(last, frames, hp, wp, x.dim(2), x.dim(3), x.dim(4));
    }

    private Tensor tBlock(Tensor t) {
        Tensor a = t.copy();
        Activation.SILU.apply(a, a);
        return tBlock.forward(a);
    }

    /** "B (Nt Nh Nw) (pt ph pw C) -> B C (Nt pt) (Nh ph) (Nw pw)", then cropped to the input's T, H, W. */
    private Tensor unpatchify(Tensor y, int nt, int nh, int nw, int rt, int rh, int rw) {
        int b = y.dim(0);
        int co = config.outChannels();
        int pt = config.patchSize[0];
        int ph = config.patchSize[1];
        int pw = config.patchSize[2];
        Tensor out = Tensor.zeros(b, co, rt, rh, rw);
        float[] src = y.data();
        float[] dst = out.data();
        int width = y.dim(2);
        for (int bi = 0; bi < b; bi++) {
            for (int c = 0; c < co; c++) {
                for (int t = 0; t < rt; t++) {
                    for (int hh = 0; hh < rh; hh++) {
                        for (int ww = 0; ww < rw; ww++) {
                            int token = ((t / pt) * nh + hh / ph) * nw + ww / pw;
                            int feature = ((t % pt * ph + hh % ph) * pw + ww % pw) * co + c;
                            dst[(((bi * co + c) * rt + t) * rh + hh) * rw + ww] =
                                    src[y.offset() + (bi * nt * nh * nw + token) * width + feature];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The inputs of one forward call, as RFLOW.sample passes them. */
    public static final class Input {
        final Tensor x;
        final float[] timestep;
        final Tensor y;
        final float[] fps;
        final double height;
        final double width;
        Tensor mask;
        boolean[][] xMask;
        boolean mergeFrames;

        /**
         * @param x        latent [B, Cin, T, H, W]
         * @param timestep one per sample, 0..1000 scale
         * @param y        caption embeddings [B, 1, L, Cc] (see {@link #cfgCaption})
         * @param fps      frames per second, one value or one per sample
         * @param height   video height in pixels
         * @param width    video width in pixels
         */
        public Input(Tensor x, float[] timestep, Tensor y, float[] fps, double height, double width) {
            this.x = x;
            this.timestep = timestep.clone();
            this.y = y;
            this.fps = fps.clone();
            this.height = height;
            this.width = width;
        }

        /** The text attention mask [1 or B, L] (non-zero = real token); padded tokens are dropped. */
        public Input mask(Tensor m) {
            this.mask = m;
            return this;
        }

        /** Per sample and latent frame: false marks a conditioning frame, modulated as timestep 0. */
        public Input xMask(boolean[][] m) {
            this.xMask = m;
            return this;
        }

        /**
         * TDTM: run self-attention and cross-attention on frame-merged tokens (On-device Sora does this for denoising
         * steps below {@code merge_steps}). Off by default; see {@link FrameMerge} for odd frame counts.
         */
        public Input mergeFrames(boolean on) {
            this.mergeFrames = on;
            return this;
        }

        float[] fps(int batch) {
            if (fps.length != 1 && fps.length != batch) {
                throw new IllegalArgumentException("fps has " + fps.length + " values for batch " + batch);
            }
            float[] f = new float[batch];
            for (int i = 0; i < batch; i++) {
                f[i] = fps[fps.length == 1 ? 0 : i];
            }
            return f;
        }
    }
}
