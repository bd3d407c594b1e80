package jsora.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jsora.cli.SizeOption;
import jsora.models.pipeline.LatentSize;
import jsora.models.sampler.PixelSize;
import jsora.models.stdit.STDiT3;
import jsora.models.stdit.STDiT3Config;
import jsora.tensor.Tensor;
import jsora.weights.BlockOrder;
import jsora.weights.Checkpoint;
import jsora.weights.Checkpoints;
import jsora.weights.LoadStats;
import jsora.weights.MemoryBudget;
import jsora.weights.ModelLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jsora bench step}: one STDiT3 denoising step, the whole model on the CFG batch, from a model folder, every
 * block pair streamed (CI-DL) with or without prefetch: the time of each pass and what the loader did (bytes read,
 * time the compute waited for weights).
 */
@Command(name = "step", mixinStandardHelpOptions = true, description = "Time one STDiT3 denoising step (the whole "
        + "model, CFG batch 2) from a model folder, block pairs streamed with or without prefetch (CI-DL).")
public final class BenchStepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "STDiT3 model folder "
            + "(config.json + weights), e.g. from jsora fake-checkpoints.")
    Path model;
    @Option(names = "--size", paramLabel = "WxH", defaultValue = "256x256", description = "Video size in pixels "
            + "(default ${DEFAULT-VALUE}).")
    String size;
    @Option(names = "--frames", defaultValue = "68", description = "Video frames (default ${DEFAULT-VALUE}).")
    int frames;
    @Option(names = "--tdtm", description = "Merge frame pairs (TDTM) in the step.")
    boolean tdtm;
    @Option(names = "--prefetch", paramLabel = "on|off", defaultValue = "on", description = "on: room for two "
            + "streamed pairs, pair i+1 is read while pair i computes; off: room for one, each pair is read when it "
            + "is needed (default ${DEFAULT-VALUE}).")
    String prefetch;
    @Mixin
    BenchOptions options;

    @Override
    public Integer call() {
        String setup = options.apply();
        if (!prefetch.equals("on") && !prefetch.equals("off")) {
            throw new IllegalArgumentException("--prefetch " + prefetch + ": use on or off");
        }
        int[] wh = SizeOption.parse(size);
        PixelSize px = new PixelSize(wh[1], wh[0], frames);
        long pair = pairBytes(model);
        // no pair stays resident: every pass reads all of them, the worst case of CI-DL
        long budget = (prefetch.equals("on") ? 2 : 1) * pair;
        PrintWriter out = spec.commandLine().getOut();
        try (STDiT3 m = STDiT3.load(model, budget)) {
            STDiT3Config c = m.config();
            int[] latent = LatentSize.of(px);
            SplittableRandom r = new SplittableRandom(7);
            Tensor x = gaussian(r, 2, c.inChannels, latent[0], latent[1], latent[2]);
            Tensor y = gaussian(r, 2, 1, c.modelMaxLength, c.captionChannels);
            out.printf(Locale.ROOT, "STDiT3 step: %dx%d, %d frames (latent %dx%dx%d), CFG batch 2, TDTM %s, pair %s, "
                    + "weight budget %s (%s), %s%n", px.width(), px.height(), px.frames(), latent[0],
                    latent[1], latent[2], tdtm ? "on" : "off", MemoryBudget.format(pair), MemoryBudget.format(budget),
                    prefetch.equals("on") ? "2 streaming slots: prefetch" : "1 streaming slot: no prefetch",
                    setup);
            LoadStats before = m.streamingStats().orElseThrow();
            for (int run = 1; run <= options.runs; run++) {
                long t0 = System.nanoTime();
                m.forward(new STDiT3.Input(x, new float[] {700f, 700f}, y, new float[] {24f}, px.height(), px.width())
                        .mergeFrames(tdtm));
                double seconds = (System.nanoTime() - t0) / 1e9;
                LoadStats now = m.streamingStats().orElseThrow();
                out.printf(Locale.ROOT, "pass %d: %.2f s; %d pairs read (%s) in %.2f s, compute waited %.2f s "
                        + "(%d times)%n", run, seconds, now.loads - before.loads,
                        MemoryBudget.format(now.bytesLoaded - before.bytesLoaded), (now.loadNanos - before.loadNanos)
                                / 1e9, (now.stallNanos - before.stallNanos) / 1e9, now.stalls - before.stalls);
                before = now;
            }
        }
        out.flush();
        return 0;
    }

    /** Bytes of block pair 0 in memory, grouped as the streaming loader groups it; all pairs have its shapes. */
    private static long pairBytes(Path dir) {
        try (Checkpoint c = Checkpoints.open(ModelLocator.inFolder(dir).checkpoint())) {
            List<List<String>> pairs = BlockOrder.blocks(c.keys(), "spatial_blocks.", "temporal_blocks.");
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("--model " + dir + ": not an STDiT3 model folder (" + c.path()
                        + " holds no spatial_blocks.N / temporal_blocks.N tensors)");
            }
            return c.memoryBytes(pairs.get(0));
        }
    }

    private static Tensor gaussian(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }
}
