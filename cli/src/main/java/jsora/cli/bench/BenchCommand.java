package jsora.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jsora bench ...}: kernel and model timings (figures in BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time the compute kernels and model parts.",
        subcommands = {BenchGemmCommand.class, BenchKernelsCommand.class, BenchT5Command.class, BenchStditCommand.class, BenchStepCommand.class,
                BenchVaeCommand.class, BenchSimdCheckCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "bench needs a subcommand: gemm, kernels, t5, stdit, vae or simd-check");
    }
}
