package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsora generate} through the real loaders on the {@code e2e-*} golden cases: the case's tiny T5, STDiT3 and
 * VAE laid out as downloaded model folders, the raw prompt (prepared by generate: score suffix, cleaning), its seed
 * and settings; the PNG frames must equal the
 * reference's uint8 frames within ±1 on at most 0.1% of the values (fp32 rounding at .5 boundaries), for the
 * Open-Sora 1.2 run and the On-device Sora run (discrete timesteps, TDTM, LPL leap step from --json).
 */
@Tag("golden")
class E2eGenerateGoldenTest {
    @TempDir
    Path dir;

    @Test
    void generateReproducesTheReferenceFrames() throws IOException {
        for (Path c : Golden.cases("e2e-")) {
            Path tokenizer = Golden.requireTokenizer();
            JsonObject cfg = JsonParser.parseString(Files.readString(c.resolve("config.json"))).getAsJsonObject();
            Path models = Files.createDirectories(dir.resolve(c.getFileName()));
            folder(models, "t5-v1_1-xxl", cfg.getAsJsonObject("t5"), c.resolve("t5.safetensors"));
            Files.copy(tokenizer.resolve("tokenizer.json"), models.resolve("t5-v1_1-xxl/tokenizer.json"));
            folder(models, "OpenSora-STDiT-v3", cfg.getAsJsonObject("stdit3"), c.resolve("stdit3.safetensors"));
            folder(models, "OpenSora-VAE-v1.2", cfg.getAsJsonObject("vae"), c.resolve("vae.safetensors"));
            int h = cfg.getAsJsonArray("image_size").get(0).getAsInt();
            int w = cfg.getAsJsonArray("image_size").get(1).getAsInt();
            String[] common = {"generate", cfg.get("prompt").getAsString(), "--aes", cfg.get("aes").getAsString(),
                "--size", w + "x" + h, "--frames", cfg.get("num_frames").getAsString(),
                "--fps", cfg.get("fps").getAsString(),
                "--seed", cfg.getAsJsonObject("seeds").get("z0").getAsString(), "--models", models.toString(), "--json"};
            JsonObject v12 = cfg.getAsJsonObject("scheduler");
            GenerateCommandTest.Run r = GenerateCommandTest.run(GenerateCommand::checkpoints, concat(common, "--out",
                    models.resolve("v12").toString(), "--steps", v12.get("num_sampling_steps").getAsString(),
                    "--cfg", v12.get("cfg_scale").getAsString(), "--timesteps", "continuous"));
            assertEquals(0, r.code(), r.err());
            compare(c, "v12.", models.resolve("v12"));
            JsonObject m = cfg.getAsJsonObject("modded_scheduler");
            r = GenerateCommandTest.run(GenerateCommand::checkpoints, concat(common, "--out", models.resolve("modded")
                    .toString(), "--steps", m.get("num_sampling_steps").getAsString(), "--cfg",
                    m.get("cfg_scale").getAsString(), "--lpl", "--timesteps", "discrete",
                    "--lpl-min-steps", m.get("minimum_steps").getAsString(),
                    "--lpl-patience", m.get("max_tolerance_n").getAsString(),
                    "--lpl-tolerance", m.get("cos_tolerance").getAsString(),
                    "--tdtm", m.get("merge_steps").getAsString()));
            assertEquals(0, r.code(), r.err());
            JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
            assertEquals(cfg.get("cleaned_prompt").getAsString(), report.get("prompt").getAsString());
            try (SafeTensors io = SafeTensors.open(c.resolve("io.safetensors"))) {
                // the step the reference leapt at, as its run recorded it (none: no leap, -1)
                JsonElement leap = JsonParser.parseString(io.metadata().get("modded")).getAsJsonObject()
                        .get("leap_step");
                int expected = leap == null || leap.isJsonNull() ? -1 : leap.getAsInt();
                assertEquals(expected, report.get("leap_step").getAsInt(), "leap step");
            }
            compare(c, "modded.", models.resolve("modded"));
            // CI-DL: STDiT3's block pairs streamed under a budget smaller than the model; same frames
            long pairBytes = Files.size(c.resolve("stdit3.safetensors")) / 2;
            r = GenerateCommandTest.run(GenerateCommand::checkpoints, concat(common, "--out", models.resolve("streamed")
                    .toString(), "--steps", v12.get("num_sampling_steps").getAsString(), "--weight-budget",
                    String.valueOf(pairBytes * 2), "--timesteps", "continuous"));
            assertEquals(0, r.code(), r.err());
            compare(c, "v12.", models.resolve("streamed"));
        }
    }

    private static void folder(Path models, String name, JsonObject config, Path weights) throws IOException {
        Path d = Files.createDirectories(models.resolve(name));
        Files.writeString(d.resolve("config.json"), config.toString());
        Files.createSymbolicLink(d.resolve("model.safetensors"), weights.toAbsolutePath());
    }

    private static void compare(Path c, String run, Path frames) throws IOException {
        try (SafeTensors io = SafeTensors.open(c.resolve("io.safetensors"))) {
            SafeTensors.Entry e = io.entry(run + "frames_uint8");
            long[] ref = io.longs(run + "frames_uint8");
            int f = e.shape[0];
            int h = e.shape[1];
            int w = e.shape[2];
            int off = 0;
            for (int k = 0; k < f; k++) {
                BufferedImage img = ImageIO.read(frames.resolve(String.format("frame_%04d.png", k)).toFile());
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = img.getRGB(x, y);
                        for (int ch = 0; ch < 3; ch++) {
                            int mine = p >> (16 - 8 * ch) & 0xff;
                            int d = Math.abs(mine - (int) ref[((k * h + y) * w + x) * 3 + ch]);
                            assertTrue(d <= 1, c + " " + run + " frame " + k + " (" + x + "," + y + ") differs by " + d);
                            off += d;
                        }
                    }
                }
            }
            assertTrue(off <= ref.length / 1000, run + off + " values off by one");
            System.out.printf("%s %s: %d frames, %d of %d values off by one%n", c.getFileName(), run, f, off,
                    ref.length);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
