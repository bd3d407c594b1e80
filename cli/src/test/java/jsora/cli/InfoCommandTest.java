package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import jsora.tensor.Parallel;
import jsora.tensor.Simd;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code jsora info} and {@code jsora --version}: the run environment line. */
class InfoCommandTest {
    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = JsoraCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args));
        return out.toString();
    }

    @Test
    void infoPrintsWidthThreadsJdkAndArch() {
        String line = run("info").trim();
        assertTrue(line.startsWith("vectorBits=" + Simd.bits() + " (hardware " + Simd.maxBits() + ") threads="
                + Parallel.threads() + " java=" + System.getProperty("java.version")), line);
        assertTrue(line.contains(" arch=" + System.getProperty("os.arch")), line);
        assertEquals(RunEnvironment.describe(), line);
    }

    @Test
    void versionCarriesTheSameLine() {
        assertTrue(run("--version").contains(RunEnvironment.describe()));
    }
}
