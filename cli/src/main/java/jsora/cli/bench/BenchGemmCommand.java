package jsora.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import jsora.tensor.Int8;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

/** {@code jsora bench gemm M N K}: GFLOP/s of x[M×K]·W[N×K]ᵀ; the last line is {@code gflops=<best run>}. */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "Time x[M x K] * W[N x K]^T (as a Linear layer computes it); the last line is gflops=<best>.")
public final class BenchGemmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "M", description = "Rows of x (tokens).")
    int m;

    @Parameters(index = "1", paramLabel = "N", description = "Rows of W (output features).")
    int n;

    @Parameters(index = "2", paramLabel = "K", description = "Columns of x and W (input features).")
    int k;

    @Option(names = "--weights", paramLabel = "f32|bf16|f16|int8", defaultValue = "f32",
            description = "Storage type of W (default f32).")
    WeightType weights;

    @Option(names = "--int8-block", paramLabel = "N|row", defaultValue = "" + Int8.BLOCK,
            description = "With --weights int8: elements per scale along a row, or 'row' (default ${DEFAULT-VALUE}).")
    String int8Block;

    @Mixin
    BenchOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(options.apply());
        int block = Int8.parseBlock("--int8-block", int8Block);
        Timer.Result r = new GemmTimer(m, n, k, weights.dtype, block).time(3, options.warmupSeconds, options.runs);
        out.printf(Locale.ROOT,
                "gemm M=%d N=%d K=%d weights=%s runs=%d median=%.1f GFLOP/s best-per-cpu-second=%.1f GFLOP/s%n",
                m, n, k, weights.label() + (weights == WeightType.int8 ? "(" + int8Block + ")" : ""), options.runs,
                r.median(), r.bestPerCpu());
        out.printf(Locale.ROOT, "gflops=%.1f%n", r.best());
        out.flush();
        return 0;
    }
}
