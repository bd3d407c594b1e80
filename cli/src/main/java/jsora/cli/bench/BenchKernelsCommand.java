package jsora.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jsora bench kernels}: the Linear shapes of the models at the sizes jsora runs them. STDiT3-XL at On-device
 * Sora's 256×256, 68-frame latent (5120 tokens per attention pass, hidden 1152, MLP 4608, qkv 3456) and T5-XXL at
 * 300 tokens (d_model 4096, gated FFN 10240 used twice).
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Time the GEMM and attention shapes of STDiT3-XL (5120 tokens) and T5-XXL (300 tokens).")
public final class BenchKernelsCommand implements Callable<Integer> {
    /** M, K, N and what the shape is. */
    private static final Object[][] SHAPES = {
        {5120, 1152, 3456, "STDiT3 qkv"},
        {5120, 1152, 1152, "STDiT3 attn proj / cross q"},
        {5120, 1152, 4608, "STDiT3 mlp fc1"},
        {5120, 4608, 1152, "STDiT3 mlp fc2"},
        {300, 4096, 4096, "T5 q/k/v/o"},
        {300, 4096, 10240, "T5 wi_0 / wi_1"},
        {300, 10240, 4096, "T5 wo"},
    };

    /**
     * What, [B, H, Lq, Lk, D] and whether T5-style (scale 1, position bias). STDiT3-XL: 16 heads of 72; the 5120
     * tokens are 20 latent frames of 16×16 patches: spatial attention runs per frame, temporal per patch position,
     * cross-attention from all tokens to the 300 caption tokens. T5-XXL: 64 heads of 64 over 300 tokens.
     */
    private static final Object[][] ATTENTION = {
        {"STDiT3 spatial self-attn", new int[] {20, 16, 256, 256, 72}, false},
        {"STDiT3 temporal self-attn", new int[] {256, 16, 20, 20, 72}, false},
        {"STDiT3 cross-attn", new int[] {1, 16, 5120, 300, 72}, false},
        {"T5 self-attn (bias, no scale)", new int[] {1, 64, 300, 300, 64}, true},
    };

    @Option(names = "--weights", paramLabel = "f32|bf16|f16|int8", split = ",", defaultValue = "f32,bf16",
            description = "Weight storage types to time (default f32,bf16).")
    WeightType[] weights;

    @Mixin
    BenchOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(options.apply());
        out.printf(Locale.ROOT, "%-28s %6s %6s %6s %6s %10s %10s %10s%n", "shape", "M", "K", "N", "W", "best",
                "median", "per-cpu-s");
        for (Object[] s : SHAPES) {
            int m = (Integer) s[0];
            int k = (Integer) s[1];
            int n = (Integer) s[2];
            for (WeightType w : weights) {
                Timer.Result r = new GemmTimer(m, n, k, w.dtype).time(3, options.warmupSeconds, options.runs);
                out.printf(Locale.ROOT, "%-28s %6d %6d %6d %6s %10.1f %10.1f %10.1f%n", s[3], m, k, n,
                        w.label(), r.best(), r.median(), r.bestPerCpu());
            }
        }
        out.printf(Locale.ROOT, "%n%-28s %6s %4s %6s %6s %4s %10s %10s %10s%n", "attention", "B", "H", "Lq", "Lk", "D",
                "best", "median", "per-cpu-s");
        for (Object[] a : ATTENTION) {
            int[] d = (int[]) a[1];
            Timer.Result r = new AttentionTimer(d[0], d[1], d[2], d[3], d[4], (Boolean) a[2])
                    .time(3, options.warmupSeconds, options.runs);
            out.printf(Locale.ROOT, "%-28s %6d %4d %6d %6d %4d %10.1f %10.1f %10.1f%n", a[0], d[0], d[1], d[2], d[3],
                    d[4], r.best(), r.median(), r.bestPerCpu());
        }
        out.println("GFLOP/s (GEMM 2*M*N*K, attention 4*B*H*Lq*Lk*D per call): best and median by wall clock, "
                + "best per CPU-second of the process");
        out.flush();
        return 0;
    }
}
