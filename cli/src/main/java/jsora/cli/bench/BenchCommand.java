package jsora.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jsora bench}: micro- and model benchmarks. Figures depend on the machine and its load. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time kernels and model parts.",
        subcommands = {StditBench.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
