package jsora.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jsora.tensor.Parallel;
import jsora.tensor.SystemSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code jsora bench gemm}: its output contract and its user errors (timings themselves are not checked). */
class BenchCommandTest {
    private final int threads = Parallel.threads();
    private final BenchCli cli = new BenchCli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threads);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void gemmEndsWithTheGflopsLine() {
        for (String w : new String[] {"f32", "bf16", "f16", "int8"}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run("gemm", "13", "17", "19", "--weights", w, "--threads", "1", "--runs", "2",
                    "--warmup", "0"), err.toString());
            String[] lines = out.toString().trim().split("\\R");
            assertTrue(lines[0].contains(" threads=1 "), out.toString());
            assertTrue(lines[lines.length - 2].contains("weights=" + w), out.toString());
            assertTrue(lines[lines.length - 1].matches("gflops=\\d+\\.\\d"), out.toString());
        }
    }

    @Test
    void aTinyGemmIsTimedOverEnoughCallsForTheCpuClockToTick() {
        assertEquals(0, run("gemm", "8", "8", "8", "--threads", "1", "--runs", "2", "--warmup", "0"), err.toString());
        Matcher m = Pattern.compile("median=([0-9.]+) GFLOP/s best-per-cpu-second="
                + "([0-9.]+) GFLOP/s").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        double wall = Double.parseDouble(m.group(1));
        double perCpu = Double.parseDouble(m.group(2));
        assertTrue(perCpu < 10 * wall + 0.1, out.toString());
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        assertEquals(1, run("gemm", "0", "8", "8", "--warmup", "0"));
        assertEquals("jsora: M, N and K must be at least 1, got 0 8 8", err.toString().trim());
        err.getBuffer().setLength(0);
        assertEquals(1, run("gemm", "8", "8", "8", "--threads", "0"));
        assertEquals("jsora: --threads 0: must be 1 to " + SystemSettings.MAX_THREADS, err.toString().trim());
        for (String w : new String[] {"NaN", "-1", "Infinity"}) {
            err.getBuffer().setLength(0);
            assertEquals(1, run("gemm", "8", "8", "8", "--warmup", w));
            assertTrue(err.toString().startsWith("jsora: --warmup "), err.toString());
        }
        assertTrue(run("gemm", "8", "8", "8", "--weights", "q4") != 0);
        assertTrue(run() != 0);
    }

    @Test
    void vaeRejectsAFrameCountTheLatentsCannotGive() {
        assertEquals(1, run("vae", "--latent-frames", "5", "--frames", "68"));
        assertEquals("jsora: --frames 68 needs 20 latent frames, not 5", err.toString().trim());
        err.getBuffer().setLength(0);
        assertEquals(1, run("vae", "--size", "0"));
        assertEquals("jsora: --latent-frames and --size must be >= 1", err.toString().trim());
        assertTrue(run("vae", "--weights", "int8") != 0);
    }
}
