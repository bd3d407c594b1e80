package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jsora.models.ProjectGolden;
import jsora.models.sampler.LinearProportionalLeap;
import jsora.models.sampler.PixelSize;
import jsora.models.sampler.RectifiedFlow;
import jsora.models.sampler.TorchNoise;
import jsora.models.stdit.Params;
import jsora.models.stdit.STDiT3;
import jsora.models.vae.VaeConfig;
import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code e2e-*} golden cases from the reference caption on: seeded noise → STDiT3 + RFLOW (the v1.2 run, and the
 * On-device Sora run with discrete timesteps, TDTM and LPL) → VAE decode → uint8 frames, each stage compared.
 * Tolerances (README): latents 1e-3·max(1, max|ref|), video 1e-3 absolute, uint8 frames ±1 on at most 0.1% of values.
 */
@Tag("golden")
class E2eGoldenTest {

    @Test
    void captionToFramesMatchesBothRuns() throws IOException {
        for (Path dir : Golden.cases("e2e-")) {
            check(dir);
        }
    }

    /**
     * The project's own cases (golden-extra): e2e-odd is the v1.2 run at 24 × 45 pixels, latent 7 × 3 × 5 (odd in
     * every dimension), decoded at 24 × 40; a case without a modded_scheduler has no On-device Sora run.
     */
    @Test
    void projectCasesMatch() throws IOException {
        for (Path dir : ProjectGolden.cases("e2e-")) {
            check(dir);
        }
    }

    private static void check(Path dir) throws IOException {
        JsonObject cfg = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
        STDiT3 dit;
        try (SafeTensors st = SafeTensors.open(dir.resolve("stdit3.safetensors"))) {
            dit = STDiT3.create(RflowGoldenTest.config(cfg.getAsJsonObject("stdit3")), Params.of(st));
        }
        // a case may name another case's VAE file ("vae_weights", relative to its folder) instead of a copy
        Path vaeFile = dir.resolve(cfg.has("vae_weights") ? cfg.get("vae_weights").getAsString() : "vae.safetensors");
        VideoAutoencoderPipeline vae = VideoAutoencoderPipeline.load(vaeFile,
                VaeConfig.parse(cfg.getAsJsonObject("vae").toString()), VideoAutoencoderPipeline.Parts.DECODER);
        try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
            PixelSize size = new PixelSize((int) io.tensor("in.height").data()[0],
                    (int) io.tensor("in.width").data()[0], (int) io.tensor("in.num_frames").data()[0]);
            assertArrayEquals(io.tensor("z0").shape(), new int[] {1, 4, LatentSize.of(size)[0],
                    LatentSize.of(size)[1], LatentSize.of(size)[2]});
            long seed = cfg.getAsJsonObject("seeds").get("z0").getAsLong();
            Caption caption = text(io);
            int fps = cfg.get("fps").getAsInt();
            JsonObject v12 = cfg.getAsJsonObject("scheduler");
            run(dir + " v12", io, "v12.", dit, vae, caption, size, fps, seed, config(v12), null, 0);
            if (cfg.has("modded_scheduler")) {
                JsonObject m = cfg.getAsJsonObject("modded_scheduler");
                run(dir + " modded", io, "modded.", dit, vae, caption, size, fps, seed, config(m),
                        new LinearProportionalLeap(m.get("minimum_steps").getAsInt(),
                                m.get("max_tolerance_n").getAsInt(), m.get("cos_tolerance").getAsFloat()),
                        m.get("merge_steps").getAsInt());
            }
        }
    }

    /** The reference caption (T5's output, checked by T5TextEncoderGoldenTest) and its mask. */
    static Caption text(SafeTensors io) {
        long[] m = io.longs("mask");
        Tensor mask = Tensor.zeros(1, m.length);
        for (int i = 0; i < m.length; i++) {
            mask.data()[i] = m[i];
        }
        return new Caption(io.tensor("y"), mask);
    }

    static RectifiedFlow.Config config(JsonObject s) {
        return new RectifiedFlow.Config(s.get("num_sampling_steps").getAsInt(),
                s.has("num_timesteps") ? s.get("num_timesteps").getAsInt() : 1000, s.get("cfg_scale").getAsFloat(),
                s.get("use_discrete_timesteps").getAsBoolean(), s.get("use_timestep_transform").getAsBoolean());
    }

    private static void run(String name, SafeTensors io, String prefix, STDiT3 dit, VideoAutoencoderPipeline vae,
            Caption caption, PixelSize size, int fps, long seed, RectifiedFlow.Config cfg, LinearProportionalLeap lpl,
            int mergeSteps) {
        // torch.manual_seed(seed); z0 = randn(...): the sampler's randn_like draws continue the same stream
        TorchNoise noise = new TorchNoise(seed);
        Tensor z0 = noise.next(io.tensor("z0").shape());
        Approx.assertClose(name + " z0", io.tensor("z0"), z0, 1e-5);
        RectifiedFlow.Result r = new RectifiedFlow(cfg).sample(new Stdit3Denoiser(dit).bind(caption, size, fps,
                mergeSteps), z0, noise, size, lpl, s -> Approx.assertClose(name + " step" + s.index() + ".z",
                        io.tensor(prefix + "step" + s.index() + ".z"), s.z(), 1e-3));
        assertArrayEquals(io.tensor(prefix + "timesteps_used").toArray(), r.timesteps(), 0f, name + " timesteps");
        Tensor refZ = io.tensor(prefix + "z_final");
        Approx.assertClose(name + " z_final", refZ, r.z(), 1e-3);
        Tensor video = new VaeDecoder(vae).decode(r.z(), size.frames());
        Tensor refVideo = io.tensor(prefix + "video");
        double videoErr = Approx.maxAbsDiff(refVideo, video);
        assertTrue(videoErr <= 1e-3, name + " video max |diff| " + videoErr);
        Video written = FrameQuantizer.toVideo(video, fps);
        int[] refShape = io.entry(prefix + "frames_uint8").shape;
        assertArrayEquals(refShape, new int[] {written.frames(), written.height(), written.width(), 3},
                name + " frames, height, width the reference writes");
        byte[] frames = written.rgb();
        long[] ref = io.longs(prefix + "frames_uint8");
        int off = 0;
        for (int i = 0; i < ref.length; i++) {
            int d = Math.abs((frames[i] & 0xff) - (int) ref[i]);
            assertTrue(d <= 1, name + " frame byte " + i + " differs by " + d);
            off += d;
        }
        assertTrue(off <= ref.length / 1000, name + ": " + off + " frame bytes off by one");
        System.out.printf("%s: %d calls, leap %d, z_final %.3g, video %.3g, %d bytes off by one%n", name,
                r.modelCalls(), r.leapStep(), Approx.maxAbsDiff(refZ, r.z()), videoErr, off);
        assertEquals(ref.length, frames.length);
    }
}
