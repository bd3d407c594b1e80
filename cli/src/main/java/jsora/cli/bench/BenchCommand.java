package jsora.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jsora bench}: micro- and model benchmarks; figures go to BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see BENCHMARKS.md).",
        subcommands = {BenchT5Command.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
