package jsora.cli.bench;

import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import picocli.CommandLine.Option;

/** Options every bench subcommand takes. */
final class BenchOptions {
    @Option(names = "--threads", paramLabel = "N", description = "Threads to use (default: all cores).")
    Integer threads;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Timed runs per shape (default 5).")
    int runs;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
            description = "Minimum warm-up time per shape (default 2 s).")
    double warmupSeconds;

    /** Applies the thread count and returns a one-line description of the setup. */
    String apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        return "threads=" + Parallel.threads() + " vectorBits=" + Simd.bits() + " java="
                + System.getProperty("java.version");
    }
}
