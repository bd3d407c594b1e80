package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sampler stage of the {@code e2e-*} golden cases, with the recorded STDiT3 outputs replayed: the seeded initial
 * noise (torch.manual_seed + randn, within 1e-5 absolute, observed 1.5e-6: float32 rounding of log/sin/cos), the v1.2 run and the
 * On-device Sora run (discrete timesteps, LPL) step by step. Latent tolerance 1e-5·max(1, max|ref|).
 */
@Tag("golden")
class E2eSamplerReplayGoldenTest {

    @Test
    void initialNoiseIsTorchRandnOfTheSeed() throws IOException {
        for (Path dir : Golden.cases("e2e-")) {
            JsonObject cfg = config(dir);
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                Tensor z0 = io.tensor("z0");
                Tensor mine = TorchNoise.randn(cfg.getAsJsonObject("seeds").get("z0").getAsLong(), z0.shape());
                assertTrue(Approx.maxAbsDiff(z0, mine) <= 1e-5, dir + ": noise differs by " + Approx.maxAbsDiff(z0,
                        mine));
                System.out.printf("%s: seeded noise max |diff| %.3g%n", dir.getFileName(), Approx.maxAbsDiff(z0, mine));
            }
        }
    }

    @Test
    void bothSamplerRunsReplay() throws IOException {
        for (Path dir : Golden.cases("e2e-")) {
            JsonObject cfg = config(dir);
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                PixelSize size = RflowReplayGoldenTest.size(io);
                check(dir + " v12", io, "v12.", cfg.getAsJsonObject("scheduler"), size, null);
                JsonObject m = cfg.getAsJsonObject("modded_scheduler");
                check(dir + " modded", io, "modded.", m, size, new LinearProportionalLeap(
                        m.get("minimum_steps").getAsInt(), m.get("max_tolerance_n").getAsInt(),
                        m.get("cos_tolerance").getAsFloat()));
            }
        }
    }

    private static void check(String name, SafeTensors io, String prefix, JsonObject s, PixelSize size,
            LinearProportionalLeap lpl) {
        RecordedRun run = new RecordedRun(io, prefix);
        int steps = s.get("num_sampling_steps").getAsInt();
        RectifiedFlow rf = new RectifiedFlow(new RectifiedFlow.Config(steps,
                s.has("num_timesteps") ? s.get("num_timesteps").getAsInt() : 1000, s.get("cfg_scale").getAsFloat(),
                s.get("use_discrete_timesteps").getAsBoolean(), s.get("use_timestep_transform").getAsBoolean()));
        if (io.contains(prefix + "timesteps_full_schedule")) {
            assertArrayEquals(io.tensor(prefix + "timesteps_full_schedule").toArray(), rf.schedule(size), 0f, name);
        }
        List<Float> cos = new ArrayList<>();
        RectifiedFlow.Result r = rf.sample(run.replay(1e-5), io.tensor("z0"), size, lpl, st -> {
            Approx.assertClose(name + " step" + st.index() + " v_pred", run.step(st.index(), "v_pred"), st.velocity(),
                    1e-5);
            cos.add(st.cosine());
        });
        assertArrayEquals(io.tensor(prefix + "timesteps_used").toArray(), r.timesteps(), 0f, name + " timesteps");
        Approx.assertClose(name + " z_final", io.tensor(prefix + "z_final"), r.z(), 1e-5);
        assertEquals(run.steps, r.modelCalls(), name + " model calls");
        assertEquals(run.steps < steps ? run.steps - 1 : -1, r.leapStep(), name + " leap step");
        if (lpl != null) {
            Tensor ref = io.tensor(prefix + "cos_sim");
            for (int i = 1; i < ref.size(); i++) {
                assertEquals(ref.data()[i], cos.get(i), 1e-5f, name + " cos_sim[" + i + "]");
            }
        }
        System.out.printf("%s: %d model calls, leap %d, max |z - ref| %.3g%n", name, r.modelCalls(), r.leapStep(),
                run.worstZ);
    }

    static JsonObject config(Path dir) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
    }
}
