package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jsora.models.sampler.Denoiser;
import jsora.models.sampler.LinearProportionalLeap;
import jsora.models.sampler.PixelSize;
import jsora.models.sampler.RectifiedFlow;
import jsora.models.stdit.Params;
import jsora.models.stdit.STDiT3;
import jsora.models.stdit.STDiT3Config;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sampler with the real STDiT3 against every {@code rflow-*} golden case (the case's own tiny model through the
 * loader): the schedule exactly, every step's latent and guided velocity, the final latent, and for LPL runs the
 * cosine similarities and the leap step. Tolerances (README): 1e-4·max(1, max|ref|) for the velocities of the first
 * step, 1e-3 for every multi-step latent and velocity; cosines within 1e-4 (the closest decision is 0.014 away).
 */
@Tag("golden")
class RflowGoldenTest {

    @Test
    void samplerWithStdit3MatchesEveryCase() throws IOException {
        for (Path dir : Golden.cases("rflow-")) {
            STDiT3 model = load(dir);
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                Map<String, String> meta = io.metadata();
                for (String prefix : runs(io)) {
                    check(dir.getFileName() + ":" + prefix, model, io, meta, prefix);
                }
            }
        }
    }

    /** The case's model; its config's {@code merge_steps} is a placeholder (TDTM is set per run below). */
    static STDiT3 load(Path dir) throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
        try (SafeTensors st = SafeTensors.open(dir.resolve("model.safetensors"))) {
            return STDiT3.create(config(c), Params.of(st));
        }
    }

    /** An STDiT3 config from a golden case's JSON (TDTM off: runs set merging per call). */
    static STDiT3Config config(JsonObject c) {
        JsonArray p = c.getAsJsonArray("patch_size");
        return new STDiT3Config(c.get("hidden_size").getAsInt(), c.get("depth").getAsInt(),
                c.get("num_heads").getAsInt(), c.get("mlp_ratio").getAsDouble(), c.get("in_channels").getAsInt(),
                new int[] {p.get(0).getAsInt(), p.get(1).getAsInt(), p.get(2).getAsInt()},
                c.get("caption_channels").getAsInt(), c.get("model_max_length").getAsInt(),
                c.get("input_sq_size").getAsInt(), c.get("pred_sigma").getAsBoolean(), c.get("qk_norm").getAsBoolean(), 0);
    }

    static List<String> runs(SafeTensors io) {
        List<String> p = new ArrayList<>();
        for (String k : io.keys()) {
            if (k.endsWith("step0.z")) {
                p.add(k.substring(0, k.length() - "step0.z".length()));
            }
        }
        p.sort(null);
        return p;
    }

    private static void check(String name, STDiT3 model, SafeTensors io, Map<String, String> meta, String prefix) {
        PixelSize size = new PixelSize((int) io.tensor("in.height").data()[0], (int) io.tensor("in.width").data()[0],
                (int) io.tensor("in.num_frames").data()[0]);
        RectifiedFlow rf = new RectifiedFlow(new RectifiedFlow.Config(Integer.parseInt(meta.get("num_sampling_steps")),
                Integer.parseInt(meta.getOrDefault("num_timesteps", "1000")), Float.parseFloat(meta.get("cfg_scale")),
                Boolean.parseBoolean(meta.get("use_discrete_timesteps")),
                Boolean.parseBoolean(meta.get("use_timestep_transform"))));
        boolean lplRun = meta.containsKey("minimum_steps");
        LinearProportionalLeap lpl = lplRun ? new LinearProportionalLeap(Integer.parseInt(meta.get("minimum_steps")),
                Integer.parseInt(meta.get("max_tolerance_n")), Float.parseFloat(meta.get("cos_tolerance"))) : null;
        int mergeSteps = Integer.parseInt(meta.getOrDefault(prefix + "merge_steps", "0"));
        Caption caption = new Caption(io.tensor("in.y_cond"), io.tensor("in.mask"));
        Denoiser d = new Stdit3Denoiser(model).bind(caption, size, (int) io.tensor("in.fps").data()[0], mergeSteps);
        List<Float> cos = new ArrayList<>();
        double[] worst = new double[1];
        RectifiedFlow.Result r = rf.sample(d, io.tensor(prefix + "step0.z"), size, lpl, s -> {
            String at = name + " step" + s.index();
            Tensor refZ = io.tensor(prefix + "step" + s.index() + ".z");
            Approx.assertClose(at + ".z", refZ, s.z(), 1e-3);
            Approx.assertClose(at + ".v_pred", io.tensor(prefix + "step" + s.index() + ".v_pred"), s.velocity(),
                    s.index() == 0 ? 1e-4 : 1e-3);
            worst[0] = Math.max(worst[0], Approx.maxAbsDiff(refZ, s.z()) / Math.max(1, Approx.maxAbs(refZ)));
            cos.add(s.cosine());
        });
        String outKey = prefix + "out.z";
        Tensor ref = io.tensor(outKey);
        Approx.assertClose(name + " final z", ref, r.z(), 1e-3);
        worst[0] = Math.max(worst[0], Approx.maxAbsDiff(ref, r.z()) / Math.max(1, Approx.maxAbs(ref)));
        String used = io.contains(prefix + "timesteps_used") ? prefix + "timesteps_used" : prefix + "timesteps";
        assertArrayEquals(io.tensor(used).toArray(), r.timesteps(), 0f, name + " timesteps");
        if (lplRun) {
            assertEquals(Integer.parseInt(meta.get(prefix + "leap_step")), r.leapStep(), name + " leap step");
            Tensor refCos = io.tensor(prefix + "cos_sim");
            for (int i = 1; i < refCos.size(); i++) {
                assertEquals(refCos.data()[i], cos.get(i), 1e-4f, name + " cos_sim[" + i + "]");
            }
        } else {
            assertEquals(-1, r.leapStep(), name);
        }
        System.out.printf("%s: %d model calls, leap %d, worst latent error %.3g of max|z|%n", name, r.modelCalls(),
                r.leapStep(), worst[0]);
    }
}
