package jsora.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs jsora commands in this JVM and keeps what they print on stdout and stderr. */
final class CommandRunner {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** The command's exit code. */
    int run(String... args) {
        return JsoraCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }
}
