package jsora.cli.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jsora.models.stdit.BlockContext;
import jsora.models.stdit.BlockPair;
import jsora.models.stdit.Params;
import jsora.models.stdit.STDiT3Config;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.WeightTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jsora bench stdit}: one STDiT3-XL/2 block pair (spatial + temporal, random weights) at On-device Sora's size,
 * TDTM off and on, and the GEMM kernel's rate on the block's biggest Linear shape for the GEMM-bound estimate.
 */
@Command(name = "stdit", mixinStandardHelpOptions = true,
        description = "Time one full-size STDiT3 block pair (random weights), TDTM off and on.")
public final class BenchStditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--frames", description = "Latent frames T (default ${DEFAULT-VALUE}).")
    int frames = 20;
    @Option(names = "--height", description = "Latent height (default ${DEFAULT-VALUE}).")
    int height = 32;
    @Option(names = "--width", description = "Latent width (default ${DEFAULT-VALUE}).")
    int width = 32;
    @Option(names = "--batch", description = "Batch (2 = CFG; default ${DEFAULT-VALUE}).")
    int batch = 2;
    @Option(names = "--text", description = "Caption tokens per sample (default ${DEFAULT-VALUE}).")
    int text = 300;
    @Option(names = "--weights", paramLabel = "f32|bf16|f16|int8", defaultValue = "f32",
            description = "Storage type of the weights (default f32).")
    WeightType weights;
    @Option(names = "--gemm-rows", description = "Rows of the GEMM rate probe [rows, 1152] x [4608, 1152]^T "
            + "(default ${DEFAULT-VALUE}).")
    int gemmRows = 1024;
    @Mixin
    BenchOptions options;

    @Override
    public Integer call() {
        positive("--frames", frames);
        positive("--height", height);
        positive("--width", width);
        positive("--batch", batch);
        positive("--text", text);
        positive("--gemm-rows", gemmRows);
        String setup = options.apply();
        PrintWriter out = spec.commandLine().getOut();
        STDiT3Config c = STDiT3Config.xl2();
        int s = ((height + 1) / 2) * ((width + 1) / 2);
        int hidden = c.hiddenSize;
        SplittableRandom r = new SplittableRandom(42);
        Params random = (key, shape) -> randomWeight(r, weights.dtype, shape);
        BlockPair pair = BlockPair.load(random, c, 0);
        Tensor caption = uniform(r, 0.5, batch * text, hidden);
        Tensor tMlp = uniform(r, 0.1, batch, 6 * hidden);
        Tensor freqs = random.tensor("rope.freqs", c.headDim() / 2);
        Tensor x0 = uniform(r, 1.0, batch, frames * s, hidden);
        int[] lens = new int[batch];
        Arrays.fill(lens, text);

        out.printf("STDiT3-XL/2 block pair: B=%d, T=%d, S=%d (%d tokens/sample), C=%d, heads=%d, mlp=%d, "
                + "text=%d, weights %s, %s%n", batch, frames, s, frames * s, hidden, c.numHeads, c.mlpHidden(),
                text, weights.label(), setup);
        double gemm = new GemmTimer(gemmRows, c.mlpHidden(), hidden, weights.dtype).time(1, 0.5, 5).best();
        out.printf("GEMM probe [%d, %d] x [%d, %d]^T: %.2f GFLOPS (best of 5)%n", gemmRows, hidden, c.mlpHidden(),
                hidden, gemm);
        double offMs = 0;
        for (boolean merge : new boolean[] {false, true}) {
            PhaseClock clock = new PhaseClock();
            BlockContext ctx = BlockContext.of(frames, s, caption, lens, tMlp, freqs, merge, clock);
            long until = System.nanoTime() + (long) (options.warmupSeconds * 1e9);
            while (System.nanoTime() < until) {
                pair.forward(x0.copy(), ctx, 0);
            }
            clock.reset();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < options.runs; i++) {
                Tensor x = x0.copy();
                long t0 = System.nanoTime();
                clock.start(t0);
                pair.forward(x, ctx, 0);
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
            double ms = best;
            out.println(clock.report(options.runs));
            double flops = BlockFlops.pair(batch, frames, s, hidden, c.mlpHidden(), text, merge);
            double gemmBoundMs = flops / gemm / 1e6;
            out.printf("TDTM %-3s: %10.1f ms/pair (best of %d)  %8.1f GFLOP  %7.2f GFLOPS  GEMM-bound %.1f ms "
                    + "(ratio %.2f)%n", merge ? "on" : "off", ms, options.runs, flops / 1e9, flops / ms / 1e6, gemmBoundMs,
                    ms / gemmBoundMs);
            if (!merge) {
                offMs = ms;
            } else {
                out.printf("TDTM speedup on the pair: %.2fx%n", offMs / ms);
            }
        }
        out.flush();
        return 0;
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be positive");
        }
    }

    private static Tensor uniform(SplittableRandom r, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextDouble(-scale, scale);
        }
        return t;
    }

    /**
     * Uniform with the variance of N(0, 1/fan_in) for matrices, so activations stay in a realistic range. int8 applies
     * to the 2-D (Linear) weights only, as {@code jsora convert --dtype int8} does; the rest stay float32.
     */
    private static WeightTensor randomWeight(SplittableRandom r, DType dtype, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double bound = shape.length >= 2 ? Math.sqrt(3.0 * shape[0] / n) : 0.1;
        return WeightTensor.convert(uniform(r, bound, shape), dtype == DType.I8 && shape.length != 2 ? DType.F32 : dtype);
    }
}
