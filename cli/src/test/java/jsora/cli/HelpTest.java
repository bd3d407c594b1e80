package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help with its usage and exit code 0, required parameters or not. */
class HelpTest {
    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(JsoraCommand.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > 10, paths.toString());
        for (List<String> path : paths) {
            CommandLine cl = JsoraCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int code = cl.execute(args.toArray(new String[0]));
            assertEquals(0, code, path + ": " + err);
            assertTrue(out.toString().startsWith("Usage: jsora"), path + ": " + out);
        }
    }

    @Test
    void aBadArgumentPointsToTheFullHelpCommand() {
        String[][] cases = {{"jsora", "--nope"}, {"jsora generate", "generate", "p", "--nope"},
            {"jsora bench gemm", "bench", "gemm", "--nope"}};
        for (String[] c : cases) {
            CommandLine cl = JsoraCommand.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(List.of(c).subList(1, c.length).toArray(new String[0])));
            assertTrue(err.toString().trim().endsWith("(see: " + c[0] + " --help)"), err.toString());
        }
    }

    @Test
    void outOfMemoryAdviceFitsTheCommand() {
        assertTrue(JsoraCommand.outOfMemoryAdvice(new String[] {"generate", "p"}).contains("--frames"));
        assertTrue(!JsoraCommand.outOfMemoryAdvice(new String[] {"bench", "gemm", "9", "9", "9"}).contains("--frames"));
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> paths) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(sub.getCommandName());
            paths.add(p);
            collect(sub, p, paths);
        }
    }
}
