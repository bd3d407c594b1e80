package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sampler parity with the {@code rflow-*} golden cases, replaying the recorded model outputs (no network needed):
 * the schedule exactly, every step's latent, the guided velocity, the final latent, and for LPL runs the cosine
 * similarities, the leap step and the number of model calls.
 * Tolerances: timesteps bit-exact; latents and velocities within 1e-5·max(1, max|ref|) (the sampler's own float32
 * arithmetic in the reference order; observed 0).
 */
@Tag("golden")
class RflowReplayGoldenTest {
    static final double REL = 1e-5;

    @Test
    void everyRecordedRunReplaysExactly() {
        for (Path dir : Golden.cases("rflow-")) {
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                Map<String, String> meta = io.metadata();
                for (String prefix : runPrefixes(io)) {
                    checkRun(dir.getFileName() + ":" + prefix, io, meta, prefix);
                }
            }
        }
    }

    static List<String> runPrefixes(SafeTensors io) {
        List<String> p = new ArrayList<>();
        for (String k : io.keys()) {
            if (k.endsWith("step0.z")) {
                p.add(k.substring(0, k.length() - "step0.z".length()));
            }
        }
        p.sort(null);
        return p;
    }

    static PixelSize size(SafeTensors io) {
        return new PixelSize((int) io.tensor("in.height").data()[0], (int) io.tensor("in.width").data()[0],
                (int) io.tensor("in.num_frames").data()[0]);
    }

    private static void checkRun(String name, SafeTensors io, Map<String, String> meta, String prefix) {
        RecordedRun run = new RecordedRun(io, prefix);
        boolean lplRun = meta.containsKey("minimum_steps");
        RectifiedFlow.Config cfg = new RectifiedFlow.Config(
                Integer.parseInt(meta.get("num_sampling_steps")),
                Integer.parseInt(meta.getOrDefault("num_timesteps", "1000")),
                Float.parseFloat(meta.get("cfg_scale")),
                Boolean.parseBoolean(meta.get("use_discrete_timesteps")),
                Boolean.parseBoolean(meta.get("use_timestep_transform")));
        RectifiedFlow sampler = new RectifiedFlow(cfg);
        PixelSize size = size(io);

        String fullKey = io.contains(prefix + "timesteps_full_schedule") ? prefix + "timesteps_full_schedule"
                : prefix + "timesteps";
        assertArrayEquals(io.tensor(fullKey).toArray(), sampler.schedule(size), 0f, name + " schedule");

        LinearProportionalLeap lpl = lplRun ? new LinearProportionalLeap(Integer.parseInt(meta.get("minimum_steps")),
                Integer.parseInt(meta.get("max_tolerance_n")), Float.parseFloat(meta.get("cos_tolerance"))) : null;
        List<Float> cos = new ArrayList<>();
        RectifiedFlow.Result r = sampler.sample(run.replay(REL), run.z0(), size, lpl, step -> {
            Approx.assertClose(name + " step" + step.index() + ".v_pred", run.step(step.index(), "v_pred"),
                    step.velocity(), REL);
            cos.add(step.cosine());
        });
        String outKey = io.contains(prefix + "out.z") ? prefix + "out.z" : prefix + "z_final";
        Approx.assertClose(name + " final z", io.tensor(outKey), r.z(), REL);
        assertEquals(run.steps, r.modelCalls(), name + " model calls");
        if (io.contains(prefix + "timesteps_used")) {
            assertArrayEquals(io.tensor(prefix + "timesteps_used").toArray(), r.timesteps(), 0f, name + " used");
        }
        if (lplRun) {
            assertEquals(Integer.parseInt(meta.get(prefix + "leap_step")), r.leapStep(), name + " leap step");
            Tensor ref = io.tensor(prefix + "cos_sim");
            assertTrue(Float.isNaN(cos.get(0)), name + " no similarity at step 0");
            for (int i = 1; i < ref.size(); i++) {
                assertEquals(ref.data()[i], cos.get(i), 1e-5f, name + " cos_sim[" + i + "]");
            }
            assertEquals(ref.size(), cos.size(), name + " similarities recorded");
        } else {
            assertEquals(-1, r.leapStep(), name + " no leap without LPL");
        }
        System.out.printf("%s: %d steps replayed, leap %d, max |z - ref| %.3g%n", name, run.steps, r.leapStep(),
                run.worstZ);
    }
}
