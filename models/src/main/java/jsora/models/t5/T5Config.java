package jsora.models.t5;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jsora.models.config.ConfigFields;
import jsora.nn.Activation;
import jsora.weights.JsonText;

/**
 * The fields of a Hugging Face {@code T5Config} the encoder needs. Only T5 v1.1's gated-GELU feed-forward is
 * supported (what Open-Sora's {@code DeepFloyd/t5-v1_1-xxl} uses).
 */
public final class T5Config {
    /** HF activation names (transformers.activations.ACT2FN) the gated feed-forward accepts. */
    private static final Map<String, Activation> ACTIVATIONS = activations();
    private static final ConfigFields FIELDS = new ConfigFields("T5 config");

    public final int vocabSize;
    public final int dModel;
    /** Per-head dimension. */
    public final int dKv;
    public final int numHeads;
    public final int dFf;
    public final int numLayers;
    public final int numBuckets;
    public final int maxDistance;
    public final float layerNormEpsilon;
    /** The gate's nonlinearity: HF's {@code gelu_new} (tanh approximation) for T5 v1.1. */
    public final Activation activation;

    public T5Config(int vocabSize, int dModel, int dKv, int numHeads, int dFf, int numLayers, int numBuckets,
            int maxDistance, float layerNormEpsilon, Activation activation) {
        this.vocabSize = positive("vocab_size", vocabSize);
        this.dModel = positive("d_model", dModel);
        this.dKv = positive("d_kv", dKv);
        this.numHeads = positive("num_heads", numHeads);
        this.dFf = positive("d_ff", dFf);
        this.numLayers = positive("num_layers", numLayers);
        this.numBuckets = positive("relative_attention_num_buckets", numBuckets);
        this.maxDistance = positive("relative_attention_max_distance", maxDistance);
        if (!(layerNormEpsilon >= 0)) {
            throw new IllegalArgumentException("T5 config: layer_norm_epsilon must be >= 0, got " + layerNormEpsilon);
        }
        this.layerNormEpsilon = layerNormEpsilon;
        this.activation = activation;
    }

    /** DeepFloyd/t5-v1_1-xxl, the encoder Open-Sora 1.2 uses. */
    public static T5Config xxl() {
        return new T5Config(32128, 4096, 64, 64, 10240, 24, 32, 128, 1e-6f, Activation.GELU_TANH);
    }

    /** heads · d_kv, the width of q, k, v (equal to d_model in the released models, not in general). */
    public int innerDim() {
        return numHeads * dKv;
    }

    /**
     * Every parameter of the encoder with its shape, in the order {@code T5EncoderModel.state_dict()} lists them
     * ({@code shared.weight} only, as {@code save_pretrained} writes it).
     */
    public Map<String, int[]> parameterShapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("shared.weight", new int[] {vocabSize, dModel});
        for (int i = 0; i < numLayers; i++) {
            String p = "encoder.block." + i + ".";
            for (String proj : new String[] {"q", "k", "v"}) {
                m.put(p + "layer.0.SelfAttention." + proj + ".weight", new int[] {innerDim(), dModel});
            }
            m.put(p + "layer.0.SelfAttention.o.weight", new int[] {dModel, innerDim()});
            if (i == 0) {
                m.put(p + "layer.0.SelfAttention.relative_attention_bias.weight", new int[] {numBuckets, numHeads});
            }
            m.put(p + "layer.0.layer_norm.weight", new int[] {dModel});
            m.put(p + "layer.1.DenseReluDense.wi_0.weight", new int[] {dFf, dModel});
            m.put(p + "layer.1.DenseReluDense.wi_1.weight", new int[] {dFf, dModel});
            m.put(p + "layer.1.DenseReluDense.wo.weight", new int[] {dModel, dFf});
            m.put(p + "layer.1.layer_norm.weight", new int[] {dModel});
        }
        m.put("encoder.final_layer_norm.weight", new int[] {dModel});
        return m;
    }

    /** The config as HF {@code config.json} fields, values JSON-encoded (safetensors metadata, {@link #fromMetadata}). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model_type", "\"t5\"");
        m.put("vocab_size", Integer.toString(vocabSize));
        m.put("d_model", Integer.toString(dModel));
        m.put("d_kv", Integer.toString(dKv));
        m.put("num_heads", Integer.toString(numHeads));
        m.put("d_ff", Integer.toString(dFf));
        m.put("num_layers", Integer.toString(numLayers));
        m.put("relative_attention_num_buckets", Integer.toString(numBuckets));
        m.put("relative_attention_max_distance", Integer.toString(maxDistance));
        m.put("layer_norm_epsilon", Float.toString(layerNormEpsilon));
        m.put("feed_forward_proj", "\"gated-gelu\"");
        ACTIVATIONS.forEach((name, act) -> {
            if (act == activation && !m.containsKey("dense_act_fn")) {
                m.put("dense_act_fn", "\"" + name + "\"");
            }
        });
        return m;
    }

    /** HF names in order of preference (the first name of an activation is the one written). */
    private static Map<String, Activation> activations() {
        Map<String, Activation> m = new LinkedHashMap<>();
        m.put("gelu_new", Activation.GELU_TANH);
        m.put("gelu_pytorch_tanh", Activation.GELU_TANH);
        m.put("gelu", Activation.GELU);
        m.put("silu", Activation.SILU);
        return Collections.unmodifiableMap(m);
    }

    /** Reads a {@code config.json}. */
    public static T5Config read(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(configJson + ": cannot read T5 config: " + e.getMessage(), e);
        }
        try {
            return fromJson(JsonText.parse(text).getAsJsonObject());
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** From a checkpoint's string metadata (the golden files repeat config.json there; values JSON-encoded). */
    public static T5Config fromMetadata(Map<String, String> metadata) {
        JsonObject o = new JsonObject();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            try {
                o.add(e.getKey(), JsonParser.parseString(e.getValue()));
            } catch (JsonParseException ex) {
                o.addProperty(e.getKey(), e.getValue());
            }
        }
        return fromJson(o);
    }

    static T5Config fromJson(JsonObject o) {
        String proj = FIELDS.string(o, "feed_forward_proj", "relu").toLowerCase(Locale.ROOT);
        if (!proj.startsWith("gated-")) {
            throw new IllegalArgumentException("T5 config: feed_forward_proj '" + proj
                    + "' is not supported (only T5 v1.1's gated feed-forward)");
        }
        // HF's T5Config turns "gated-gelu" into dense_act_fn "gelu_new"; an explicit dense_act_fn in the file wins
        String actName = FIELDS.string(o, "dense_act_fn", proj.equals("gated-gelu") ? "gelu_new" : proj.substring(6))
                .toLowerCase(Locale.ROOT);
        Activation act = ACTIVATIONS.get(actName);
        if (act == null) {
            throw new IllegalArgumentException("T5 config: dense_act_fn '" + actName + "' is not supported (one of "
                    + ACTIVATIONS.keySet() + ")");
        }
        int dModel = FIELDS.integer(o, "d_model");
        return new T5Config(FIELDS.integer(o, "vocab_size"), dModel, FIELDS.integer(o, "d_kv"),
                FIELDS.integer(o, "num_heads"), FIELDS.integer(o, "d_ff"), FIELDS.integer(o, "num_layers"),
                FIELDS.integer(o, "relative_attention_num_buckets", 32),
                FIELDS.integer(o, "relative_attention_max_distance", 128),
                (float) FIELDS.number(o, "layer_norm_epsilon", 1e-6), act);
    }

    private static int positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("T5 config: " + name + " must be positive, got " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "T5Config(d_model=%d, d_kv=%d, heads=%d, d_ff=%d, layers=%d, vocab=%d, %s)",
                dModel, dKv, numHeads, dFf, numLayers, vocabSize, activation);
    }
}
