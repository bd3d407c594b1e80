package jsora.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import jsora.tensor.Parallel;
import org.junit.jupiter.api.Test;

/**
 * {@code jsora bench simd-check}: its output contract, that it restores the thread count, and its user errors. The
 * factors themselves are a benchmark (BENCHMARKS.md), not checked here.
 */
class BenchSimdCheckCommandTest {
    private final BenchCli cli = new BenchCli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void printsOneLinePerKernelAfterTheEnvironment() {
        int threads = Parallel.threads();
        int code = run("simd-check", "--only", "rms-norm,silu", "--warmup", "0", "--warmup-calls", "1",
                "--max-warmup", "0", "--slice", "0.001", "--runs", "1");
        String[] lines = out.toString().trim().split("\\R");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].startsWith("vectorBits="), lines[0]);
        assertTrue(lines[1].matches("kernel=rms-norm simd_ms=\\S+ scalar_ms=\\S+ factor=\\S+ min=0\\.5 (ok|FAIL)"),
                lines[1]);
        assertTrue(lines[2].startsWith("kernel=silu "), lines[2]);
        assertEquals(lines[1].endsWith("ok") && lines[2].endsWith("ok") ? 0 : 1, code, err.toString());
        assertEquals(threads, Parallel.threads());
    }

    @Test
    void minFactorIsStatedAndChecked() {
        run("simd-check", "--only", "silu", "--min-factor", "0.3", "--warmup", "0", "--warmup-calls", "1",
                "--max-warmup", "0", "--slice", "0.001", "--runs", "1");
        assertTrue(out.toString().contains(" min=0.3 "), out.toString());
        assertEquals(1, run("simd-check", "--min-factor", "0"));
        assertTrue(err.toString().contains("--min-factor > 0"), err.toString());
    }

    @Test
    void unknownKernelIsAUserError() {
        assertEquals(1, run("simd-check", "--only", "fft"));
        assertTrue(err.toString().contains("no kernel named fft"), err.toString());
        assertTrue(err.toString().contains("linear-f32"), err.toString());
    }
}
