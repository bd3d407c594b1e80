package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import jsora.models.pipeline.FakeCheckpoints;
import jsora.models.t5.T5Config;
import jsora.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jsora bench stdit}: runs at a toy size and reports both TDTM settings; bad options give one line. */
class BenchStditCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return JsoraCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
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
    void aStepFromACheckpointReportsTheLoadersWaitWithAndWithoutPrefetch(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        new jsora.models.pipeline.FakeCheckpoints(1, (f, b) -> { }).writeStdit(dir, new jsora.models.stdit.STDiT3Config(
                32, 3, 2, 2.0, 4, new int[] {1, 2, 2}, 16, 6, 512, true, true, 0));
        for (String prefetch : new String[] {"on", "off"}) {
            assertEquals(0, run("bench", "step", "--model", dir.toString(), "--size", "32x32", "--frames", "17",
                    "--prefetch", prefetch, "--runs", "2"), err.toString());
        }
        String o = out.toString();
        assertTrue(o.contains("2 streaming slots: prefetch") && o.contains("1 streaming slot: no prefetch"), o);
        assertEquals(4, o.split("pass \\d: ", -1).length - 1, o);
        assertTrue(o.contains("3 pairs read"), o);
        assertEquals(1, run("bench", "step", "--model", dir.toString(), "--prefetch", "maybe"));
        assertTrue(err.toString().contains("--prefetch maybe: use on or off"), err.toString());
    }

    @Test
    void aStepFromAFolderThatIsNotStdit3NamesTheFolder(@TempDir Path dir) {
        Path t5 = dir.resolve("t5");
        new FakeCheckpoints(1, (f, b) -> { }).writeT5(t5, new T5Config(10, 8, 4, 2, 16, 1, 32, 128, 1e-6f,
                Activation.GELU_TANH), Long.MAX_VALUE, false);
        assertEquals(1, run("bench", "step", "--model", t5.toString()));
        assertTrue(err.toString().startsWith("jsora: --model " + t5 + ": not an STDiT3 model folder ("),
                err.toString());
        assertTrue(err.toString().contains("holds no spatial_blocks.N / temporal_blocks.N tensors"), err.toString());
    }

    @Test
    void badOptionIsOneLine() {
        assertEquals(1, run("bench", "stdit", "--frames", "0"));
        assertEquals("jsora: --frames must be positive", err.toString().trim());
    }
}
