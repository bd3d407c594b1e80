package jsora.cli;

import java.io.PrintWriter;
import jsora.cli.bench.BenchCommand;
import jsora.cli.serve.ServeCommand;
import jsora.tensor.SystemSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jsora} command and its subcommands. */
@Command(name = "jsora", mixinStandardHelpOptions = true, versionProvider = JsoraCommand.Version.class,
        description = "Text to video with Open-Sora 1.2 on any JVM: pure Java, On-device Sora's LPL, TDTM and CI-DL.",
        subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, DemoCommand.class, InspectCommand.class,
            ConvertCommand.class, BenchCommand.class, FakeCheckpointsCommand.class, InfoCommand.class, ServeCommand.class})
public final class JsoraCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line and returns the exit code. User errors end in one line on stderr, never a stack trace. */
    public static int run(String[] args) {
        try {
            SystemSettings.check();
        } catch (IllegalArgumentException e) {
            System.err.println("jsora: " + e.getMessage());
            return 2;
        }
        try {
            return commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("jsora: out of memory (heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB): "
                    + outOfMemoryAdvice(args));
            return 1;
        }
    }

    /** What to change after running out of memory: the options of the command that ran. */
    static String outOfMemoryAdvice(String[] args) {
        if (args.length > 0 && args[0].equals("generate")) {
            return "give the run more memory (--memory, or -Xmx), or make the video smaller (--size, --frames)";
        }
        return "give the JVM more heap (java -Xmx... -jar jsora.jar), or ask for less (smaller sizes)";
    }

    /** The configured command line (tests set its output writers). */
    static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** As {@link #commandLine()}, with the subcommands made by {@code factory} (tests supply their models this way). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new JsoraCommand(), factory);
        cl.setExpandAtFiles(false); // a prompt "@user" is text, not the file ./user
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("jsora: " + UserErrors.describe(ex));
            if (Boolean.getBoolean("jsora.debug")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, params) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("jsora: " + ex.getMessage() + " (see: "
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return 2;
        });
        return cl;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JsoraCommand.class.getPackage().getImplementationVersion();
            return new String[] {"jsora " + (v == null ? "dev" : v), RunEnvironment.describe()};
        }
    }
}
