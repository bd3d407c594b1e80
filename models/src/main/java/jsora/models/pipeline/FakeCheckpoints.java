package jsora.models.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jsora.models.stdit.STDiT3Config;
import jsora.models.t5.T5Config;
import jsora.models.vae.Params;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.tensor.DType;
import jsora.tensor.WeightTensor;
import jsora.weights.AtomicFile;
import jsora.weights.Checkpoint;
import jsora.weights.CheckpointException;
import jsora.weights.OutputType;
import jsora.weights.RandomCheckpoint;
import jsora.weights.SafeTensorsWriter;
import jsora.weights.TorchZipWriter;

/**
 * Writes random-weight checkpoints in the released models' layouts (key names, shapes, fp32, file formats) with their
 * config.json, so that loaders, full-size runs and benchmarks need no download:
 * T5 as the DeepFloyd/t5-v1_1-xxl repository serves it (the T5EncoderModel state dict in torch.save zip shards of at
 * most 10 GB with {@code pytorch_model.bin.index.json}; {@code encoder.embed_tokens.weight} tied to
 * {@code shared.weight}), STDiT3 and the VAE as one {@code model.safetensors} each (keys sorted, as safetensors saves).
 * Values come from {@link RandomCheckpoint}: the same seed gives the same bytes.
 */
public final class FakeCheckpoints {
    /** Hugging Face's default shard limit when the T5 checkpoint was saved ("10GB", decimal). */
    public static final long HF_MAX_SHARD_BYTES = 10_000_000_000L;
    static final String T5_TIED = "encoder.embed_tokens.weight";

    /** Told about each file before it is written. */
    @FunctionalInterface
    public interface Progress {
        void writing(Path file, long bytes);
    }

    private final long seed;
    private final Progress progress;

    public FakeCheckpoints(long seed, Progress progress) {
        this.seed = seed;
        this.progress = progress;
    }

    /** The T5 encoder's state dict: {@link T5Config#parameterShapes()} with the tied embedding after shared.weight. */
    public static Map<String, int[]> t5Shapes(T5Config c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : c.parameterShapes().entrySet()) {
            m.put(e.getKey(), e.getValue());
            if (e.getKey().equals("shared.weight")) {
                m.put(T5_TIED, e.getValue());
            }
        }
        return m;
    }

    /** The keys and shapes VideoAutoencoderPipeline reads (encoder and decoder), plus its scale/shift buffers. */
    public static Map<String, int[]> vaeShapes(VaeConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int ch = c.temporal().embedDim();
        m.put("scale", new int[] {1, ch, 1, 1, 1});
        m.put("shift", new int[] {1, ch, 1, 1, 1});
        new VideoAutoencoderPipeline(Params.of((key, shape) -> {
            m.put(key, shape.clone());
            return WeightTensor.ofF32(new float[Math.toIntExact(numel(shape))], shape);
        }), c, VideoAutoencoderPipeline.Parts.BOTH);
        return m;
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** fp32 bytes of the tensors, each storage once (the tied T5 embedding is stored once). */
    public static long bytes(Map<String, int[]> shapes) {
        long b = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            b += e.getKey().equals(T5_TIED) ? 0 : 4 * numel(e.getValue());
        }
        return b;
    }

    /**
     * Writes {@code pytorch_model-0000K-of-0000N.bin} shards (split as Hugging Face does: a new shard when the next
     * tensor would pass {@code maxShardBytes}), the index and config.json into {@code dir}; returns the shards.
     */
    public List<Path> writeT5(Path dir, T5Config c, long maxShardBytes, boolean forceZip64) {
        Map<String, int[]> shapes = t5Shapes(c);
        List<List<String>> shards = new ArrayList<>();
        long size = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            long b = e.getKey().equals(T5_TIED) ? 0 : 4 * numel(e.getValue());
            if (shards.isEmpty() || (size + b > maxShardBytes && !shards.get(shards.size() - 1).isEmpty() && b > 0)) {
                shards.add(new ArrayList<>());
                size = 0;
            }
            shards.get(shards.size() - 1).add(e.getKey());
            size += b;
        }
        createDir(dir);
        Checkpoint src = new RandomCheckpoint(shapes, DType.F32, seed, Map.of());
        Map<String, String> weightMap = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("pytorch_model-%05d-of-%05d.bin", i + 1, shards.size());
            Path f = dir.resolve(name);
            Map<String, int[]> part = new LinkedHashMap<>();
            for (String k : shards.get(i)) {
                part.put(k, shapes.get(k));
                weightMap.put(k, name);
            }
            progress.writing(f, bytes(part));
            TorchZipWriter.write(f, src, shards.get(i), Map.of(T5_TIED, "shared.weight"), forceZip64);
            files.add(f);
        }
        JsonObject index = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("total_size", bytes(shapes));
        index.add("metadata", meta);
        JsonObject map = new JsonObject();
        weightMap.forEach(map::addProperty);
        index.add("weight_map", map);
        writeJson(dir.resolve("pytorch_model.bin.index.json"), index);
        writeJson(dir.resolve("config.json"), t5Json(c));
        return files;
    }

    /** HF T5 config.json fields of the encoder-only DeepFloyd repository. */
    static JsonObject t5Json(T5Config c) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("T5EncoderModel");
        o.add("architectures", arch);
        c.toMetadata().forEach((k, v) -> o.add(k, JsonParser.parseString(v)));
        o.addProperty("is_gated_act", true);
        o.addProperty("tie_word_embeddings", false);
        o.addProperty("torch_dtype", "float32");
        return o;
    }

    /** Writes {@code model.safetensors} and config.json of STDiT3 into {@code dir}. */
    public Path writeStdit(Path dir, STDiT3Config c) {
        return writeSafeTensors(dir, c.parameterShapes(), Map.of("rope.freqs", c.ropeFrequencies()), c.toJson());
    }

    /** Writes {@code model.safetensors} and config.json of the VAE (VideoAutoencoderPipeline) into {@code dir}. */
    public Path writeVae(Path dir, VaeConfig c) {
        Map<String, float[]> fixed = Map.of("scale", c.scale().clone(), "shift", c.shift().clone());
        return writeSafeTensors(dir, vaeShapes(c), fixed, vaeJson(c));
    }

    private Path writeSafeTensors(Path dir, Map<String, int[]> shapes, Map<String, float[]> fixed, JsonObject config) {
        createDir(dir);
        Path f = dir.resolve("model.safetensors");
        progress.writing(f, bytes(shapes));
        Checkpoint src = new RandomCheckpoint(shapes, fixed, DType.F32, seed, Map.of());
        SafeTensorsWriter.write(f, src, new ArrayList<>(new TreeMap<>(shapes).keySet()), OutputType.keep(), Map.of("format", "pt"));
        writeJson(dir.resolve("config.json"), config);
        return f;
    }

    /** Open-Sora's VideoAutoencoderPipelineConfig with the dimensions spelled out (as the golden cases write it). */
    static JsonObject vaeJson(VaeConfig c) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("VideoAutoencoderPipeline");
        o.add("architectures", arch);
        o.addProperty("cal_loss", false);
        o.addProperty("freeze_vae_2d", false);
        o.addProperty("micro_frame_size", c.microFrameSize());
        o.addProperty("micro_z_frame_size", c.microZFrameSize());
        o.addProperty("model_type", "VideoAutoencoderPipeline");
        o.add("scale", floats(c.scale()));
        o.add("shift", floats(c.shift()));
        JsonObject v2 = new JsonObject();
        JsonObject kl = new JsonObject();
        VaeConfig.Spatial s = c.spatial();
        kl.addProperty("act_fn", "silu");
        kl.add("block_out_channels", ints(s.blockOutChannels()));
        kl.addProperty("in_channels", s.inChannels());
        kl.addProperty("latent_channels", s.latentChannels());
        kl.addProperty("layers_per_block", s.layersPerBlock());
        kl.addProperty("norm_num_groups", s.normNumGroups());
        kl.addProperty("out_channels", s.outChannels());
        v2.add("diffusers_AutoencoderKL_config", kl);
        v2.addProperty("micro_batch_size", c.microBatchSize());
        v2.addProperty("type", "VideoAutoencoderKL");
        o.add("vae_2d", v2);
        VaeConfig.Temporal t = c.temporal();
        JsonObject vt = new JsonObject();
        vt.addProperty("activation_fn", "swish");
        vt.add("channel_multipliers", ints(t.channelMultipliers()));
        vt.addProperty("embed_dim", t.embedDim());
        vt.addProperty("filters", t.filters());
        vt.addProperty("in_out_channels", t.inOutChannels());
        vt.addProperty("latent_embed_dim", t.latentEmbedDim());
        vt.addProperty("num_groups", t.numGroups());
        vt.addProperty("num_res_blocks", t.numResBlocks());
        JsonArray down = new JsonArray();
        for (boolean b : t.temporalDownsample()) {
            down.add(b);
        }
        vt.add("temporal_downsample", down);
        vt.addProperty("type", "VAE_Temporal");
        o.add("vae_temporal", vt);
        return o;
    }

    private static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray();
        for (float f : v) {
            a.add(f);
        }
        return a;
    }

    private static JsonArray ints(int[] v) {
        JsonArray a = new JsonArray();
        for (int i : v) {
            a.add(i);
        }
        return a;
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot create folder (" + e + ")", e);
        }
    }

    /** Writes JSON to a temporary name beside {@code file}, then renames it. */
    private static void writeJson(Path file, JsonObject o) {
        String text = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o) + "\n";
        try {
            AtomicFile.write(file, ch -> ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write (" + e + ")", e);
        }
    }
}
