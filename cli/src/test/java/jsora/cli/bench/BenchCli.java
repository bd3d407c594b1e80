package jsora.cli.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code jsora bench ...} in-process, capturing what it prints; user errors become one "jsora: " line. */
final class BenchCli {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("jsora: " + ex.getMessage());
            cmd.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }
}
