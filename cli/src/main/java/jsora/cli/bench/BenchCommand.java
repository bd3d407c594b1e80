package jsora.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jsora bench ...}: kernel and model timings. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the compute kernels and the models (random weights in the real shapes).",
        subcommands = {GemmBench.class, KernelsBench.class, VaeBench.class})
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "bench needs a subcommand: gemm, kernels or vae");
    }
}
