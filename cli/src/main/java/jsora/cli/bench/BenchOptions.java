package jsora.cli.bench;

import jsora.cli.Checks;
import jsora.cli.RunEnvironment;
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
        Checks.threads(threads);
        Checks.within("--runs", runs, 1, Integer.MAX_VALUE);
        Checks.nonNegative("--warmup", warmupSeconds);
        return RunEnvironment.describe();
    }
}
