package jsora.models.stdit;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jsora.models.config.ConfigFields;
import jsora.weights.CheckpointException;
import jsora.weights.JsonText;

/** The fields of Open-Sora's {@code STDiT3Config} (config.json) that the forward pass uses. */
public final class STDiT3Config {
    private static final ConfigFields FIELDS = new ConfigFields("STDiT3 config");
    public final int hiddenSize;
    public final int depth;
    public final int numHeads;
    public final double mlpRatio;
    public final int inChannels;
    /** (t, h, w). */
    public final int[] patchSize;
    public final int captionChannels;
    public final int modelMaxLength;
    public final int inputSqSize;
    public final boolean predSigma;
    public final boolean qkNorm;
    /** On-device Sora's TDTM: denoising steps (from 0) that run with merged frames; 0 when the config has none. */
    public final int mergeSteps;

    public STDiT3Config(int hiddenSize, int depth, int numHeads, double mlpRatio, int inChannels, int[] patchSize,
            int captionChannels, int modelMaxLength, int inputSqSize, boolean predSigma, boolean qkNorm, int mergeSteps) {
        if (numHeads <= 0 || hiddenSize % numHeads != 0 || hiddenSize % 4 != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " must be divisible by 4 and by num_heads "
                    + numHeads);
        }
        if (patchSize.length != 3) {
            throw new IllegalArgumentException("patch_size must have 3 entries");
        }
        this.hiddenSize = hiddenSize;
        this.depth = depth;
        this.numHeads = numHeads;
        this.mlpRatio = mlpRatio;
        this.inChannels = inChannels;
        this.patchSize = patchSize.clone();
        this.captionChannels = captionChannels;
        this.modelMaxLength = modelMaxLength;
        this.inputSqSize = inputSqSize;
        this.predSigma = predSigma;
        this.qkNorm = qkNorm;
        this.mergeSteps = mergeSteps;
    }

    /** STDiT3-XL/2 as published (hpcaitech/OpenSora-STDiT-v3). */
    public static STDiT3Config xl2() {
        return new STDiT3Config(1152, 28, 16, 4.0, 4, new int[] {1, 2, 2}, 4096, 300, 512, true, true, 0);
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int mlpHidden() {
        return (int) (hiddenSize * mlpRatio);
    }

    public int outChannels() {
        return predSigma ? 2 * inChannels : inChannels;
    }

    public int patchVolume() {
        return patchSize[0] * patchSize[1] * patchSize[2];
    }

    /**
     * Every parameter of the model's state dict by checkpoint key, in module order, with its shape: the keys
     * {@link STDiT3#create} reads (and only those; the reference keeps no other persistent tensors).
     */
    public Map<String, int[]> parameterShapes() {
        int h = hiddenSize;
        int[] ps = patchSize;
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("x_embedder.proj.weight", new int[] {h, inChannels, ps[0], ps[1], ps[2]});
        m.put("x_embedder.proj.bias", new int[] {h});
        for (String e : new String[] {"t_embedder.", "fps_embedder."}) {
            m.put(e + "mlp.0.weight", new int[] {h, TimestepEmbedder.FREQUENCY_SIZE});
            m.put(e + "mlp.0.bias", new int[] {h});
            m.put(e + "mlp.2.weight", new int[] {h, h});
            m.put(e + "mlp.2.bias", new int[] {h});
        }
        m.put("rope.freqs", new int[] {headDim() / 2});
        m.put("t_block.1.weight", new int[] {6 * h, h});
        m.put("t_block.1.bias", new int[] {6 * h});
        m.put("y_embedder.y_embedding", new int[] {modelMaxLength, captionChannels});
        m.put("y_embedder.y_proj.fc1.weight", new int[] {h, captionChannels});
        m.put("y_embedder.y_proj.fc1.bias", new int[] {h});
        m.put("y_embedder.y_proj.fc2.weight", new int[] {h, h});
        m.put("y_embedder.y_proj.fc2.bias", new int[] {h});
        for (String kind : new String[] {"spatial_blocks.", "temporal_blocks."}) {
            for (int i = 0; i < depth; i++) {
                blockShapes(kind + i + ".", m);
            }
        }
        m.put("final_layer.scale_shift_table", new int[] {2, h});
        m.put("final_layer.linear.weight", new int[] {patchVolume() * outChannels(), h});
        m.put("final_layer.linear.bias", new int[] {patchVolume() * outChannels()});
        return m;
    }

    private void blockShapes(String p, Map<String, int[]> m) {
        int h = hiddenSize;
        m.put(p + "scale_shift_table", new int[] {6, h});
        m.put(p + "attn.qkv.weight", new int[] {3 * h, h});
        m.put(p + "attn.qkv.bias", new int[] {3 * h});
        if (qkNorm) {
            m.put(p + "attn.q_norm.weight", new int[] {headDim()});
            m.put(p + "attn.k_norm.weight", new int[] {headDim()});
        }
        m.put(p + "attn.proj.weight", new int[] {h, h});
        m.put(p + "attn.proj.bias", new int[] {h});
        m.put(p + "cross_attn.q_linear.weight", new int[] {h, h});
        m.put(p + "cross_attn.q_linear.bias", new int[] {h});
        m.put(p + "cross_attn.kv_linear.weight", new int[] {2 * h, h});
        m.put(p + "cross_attn.kv_linear.bias", new int[] {2 * h});
        m.put(p + "cross_attn.proj.weight", new int[] {h, h});
        m.put(p + "cross_attn.proj.bias", new int[] {h});
        m.put(p + "mlp.fc1.weight", new int[] {mlpHidden(), h});
        m.put(p + "mlp.fc1.bias", new int[] {mlpHidden()});
        m.put(p + "mlp.fc2.weight", new int[] {h, mlpHidden()});
        m.put(p + "mlp.fc2.bias", new int[] {h});
    }

    /**
     * The {@code rope.freqs} buffer: RotaryEmbedding(dim = head_dim)'s 1 / 10000^(2i/dim), i < dim/2, computed in
     * float32 as torch does (exponent, power and reciprocal each rounded to float), so it equals the saved buffer.
     */
    public float[] ropeFrequencies() {
        int dim = headDim();
        float[] f = new float[dim / 2];
        for (int i = 0; i < f.length; i++) {
            float power = (float) Math.pow(10000.0, (float) (2 * i) / dim);
            f[i] = 1f / power;
        }
        return f;
    }

    /** The config as the hub's config.json writes it (Open-Sora's STDiT3Config fields, inference defaults). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("STDiT3");
        o.add("architectures", arch);
        o.addProperty("caption_channels", captionChannels);
        o.addProperty("class_dropout_prob", 0.1);
        o.addProperty("depth", depth);
        o.addProperty("drop_path", 0.0);
        o.addProperty("enable_flash_attn", false);
        o.addProperty("enable_layernorm_kernel", false);
        o.addProperty("enable_sequence_parallelism", false);
        o.addProperty("freeze_y_embedder", true);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("in_channels", inChannels);
        JsonArray input = new JsonArray();
        for (int i = 0; i < 3; i++) {
            input.add(com.google.gson.JsonNull.INSTANCE);
        }
        o.add("input_size", input);
        o.addProperty("input_sq_size", inputSqSize);
        o.addProperty("mlp_ratio", mlpRatio);
        o.addProperty("model_max_length", modelMaxLength);
        o.addProperty("model_type", "STDiT3");
        o.addProperty("num_heads", numHeads);
        o.addProperty("only_train_temporal", false);
        JsonArray patch = new JsonArray();
        for (int p : patchSize) {
            patch.add(p);
        }
        o.add("patch_size", patch);
        o.addProperty("pred_sigma", predSigma);
        o.addProperty("qk_norm", qkNorm);
        o.addProperty("skip_y_embedder", false);
        if (mergeSteps > 0) {
            o.addProperty("merge_steps", mergeSteps);
        }
        return o;
    }

    public static STDiT3Config read(Path file) {
        try {
            return parse(JsonText.parse(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject(),
                    file.toString());
        } catch (IOException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof CheckpointException) {
                throw e;
            }
            throw new CheckpointException(file + ": not a valid STDiT3 config (" + e.getMessage() + ")", e);
        }
    }

    static STDiT3Config parse(JsonObject o, String where) {
        STDiT3Config d = xl2();
        try {
            return new STDiT3Config(FIELDS.positive(o, "hidden_size", d.hiddenSize),
                    FIELDS.positive(o, "depth", d.depth), FIELDS.positive(o, "num_heads", d.numHeads),
                    FIELDS.number(o, "mlp_ratio", d.mlpRatio), FIELDS.positive(o, "in_channels", d.inChannels),
                    FIELDS.positives(o, "patch_size", d.patchSize),
                    FIELDS.positive(o, "caption_channels", d.captionChannels),
                    FIELDS.positive(o, "model_max_length", d.modelMaxLength),
                    FIELDS.positive(o, "input_sq_size", d.inputSqSize), FIELDS.bool(o, "pred_sigma", d.predSigma),
                    FIELDS.bool(o, "qk_norm", d.qkNorm), FIELDS.integer(o, "merge_steps", 0));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": " + e.getMessage(), e);
        }
    }
}
