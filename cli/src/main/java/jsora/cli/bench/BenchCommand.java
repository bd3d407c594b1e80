package jsora.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jsora bench}: timed runs of the models on random weights in their real shapes. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on random weights in the real model shapes (time and peak memory).",
        subcommands = {VaeBench.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
