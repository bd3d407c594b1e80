package jsora.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jsora.cli.video.H264Settings;
import jsora.models.pipeline.DemoModels;
import jsora.models.pipeline.GenerationRequest;
import jsora.models.pipeline.MemoryPlan;
import jsora.models.pipeline.PromptJson;
import jsora.models.pipeline.PromptPreparation;
import jsora.models.sampler.PixelSize;
import jsora.models.sampler.RectifiedFlow;
import jsora.models.t5.T5Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jsora demo}: the whole pipeline (tokenizer, T5, STDiT3 with the rectified-flow sampler, VAE, GIF writer) on
 * tiny models with seeded random weights built in memory, in seconds and without any download.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the whole pipeline on a tiny built-in model (random weights) and write a short GIF.")
public class DemoCommand implements Callable<Integer> {
    /** The {@code --models} value that selects the demo model in {@code generate}. */
    static final String MODELS = "demo";
    /** Seed of the demo model's weights (the noise seed is --seed). */
    static final long WEIGHTS_SEED = 2025;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "jsora-demo.gif", description = "Output (.gif, .mp4 or a folder; default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--prompt", defaultValue = "a red panda climbing a snowy pine tree at sunrise", description = "The prompt (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initial noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "10", description = "Sampling steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lpl", description = "Linear Proportional Leap, counting from step 2 (the demo is short).")
    boolean lpl;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "A T5 tokenizer (tokenizer.json, spiece.model or their folder); default: a byte-level stand-in.")
    Path tokenizer;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print a JSON report on stdout.")
    boolean json;

    @Mixin
    Mp4Options mp4;

    private static final int FPS = 24;
    /** The demo video: 64×64 pixels, 17 frames (one VAE chunk), {@value #FPS} fps. */
    static final PixelSize SIZE = new PixelSize(64, 64, 17);

    static ModelSource source(Path tokenizer) {
        return plan -> {
            try {
                return new DemoModels(WEIGHTS_SEED, tokenizer == null ? null : T5Tokenizer.load(tokenizer));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** The demo's request: {@link #SIZE} at {@value #FPS} fps, Open-Sora 1.2's sampler with {@code steps} steps. */
    static GenerationRequest request(String prompt, long seed, int steps, boolean lpl) {
        PromptPreparation prep = PromptPreparation.openSoraDefaults();
        String typed = PromptJson.textBefore(prompt);
        prep.checkNotEmpty(typed);
        return new GenerationRequest(prep.prepare(typed), SIZE, FPS,
                RectifiedFlow.Config.openSora12().withSteps(steps).withDiscrete(lpl),
                lpl ? new GenerationRequest.LplSettings(2, 2, 1e-3f) : null, 0, seed);
    }

    @Override
    public Integer call() throws IOException {
        GenerateCommand.checkOutput(out, FPS);
        H264Settings encoding = mp4.settings();
        Checks.threads(threads);
        GenerationRequest req = request(prompt, seed, steps, lpl);
        return GenerateCommand.produce(req, source(tokenizer), MemoryPlan.forThisJvm(0), out, encoding, json);
    }
}
