package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code jsora bench stdit}: runs at a toy size and reports both TDTM settings; bad options give one line. */
class BenchStditCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jsora.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void reportsBothTdtmSettingsWithAProfile() {
        assertEquals(0, run("bench", "stdit", "--frames", "3", "--height", "2", "--width", "3", "--text", "2",
                "--gemm-rows", "1", "--runs", "1", "--warmup", "0"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("T=3, S=2 (6 tokens/sample)"), o);
        assertTrue(o.contains("TDTM off:") && o.contains("TDTM on :") && o.contains("TDTM speedup"), o);
        assertTrue(o.contains("temporal_blocks.0.mlp"), o);
    }

    @Test
    void badOptionIsOneLine() {
        assertEquals(1, run("bench", "stdit", "--frames", "0"));
        assertEquals("jsora: --frames must be positive", err.toString().trim());
    }
}
