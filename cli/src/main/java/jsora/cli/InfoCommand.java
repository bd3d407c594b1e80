package jsora.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jsora info}: the run environment line (see {@link RunEnvironment}). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the vector width, threads, JDK and CPU architecture jsora would run with.")
public final class InfoCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println(RunEnvironment.describe());
        spec.commandLine().getOut().flush();
    }
}
