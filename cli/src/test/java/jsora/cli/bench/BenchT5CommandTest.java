package jsora.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import jsora.cli.JsoraCommand;
import jsora.models.t5.T5Config;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchT5CommandTest {

    /** 2·300·(4·4096² + 3·4096·10240) for the projections plus 2·2·64·300²·64 for attention. */
    @Test
    void countsTheBlocksFlops() {
        assertEquals(115_762_790_400.0 + 1_474_560_000.0, BenchT5Command.blockFlops(T5Config.xxl(), 300), 0);
    }

    @Test
    void badArgumentsEndInOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new JsoraCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(1, JsoraCommand.run(new String[] {"bench", "t5", "--dtype", "q4"}));
        assertEquals(2, cl.execute("bench", "t5", "--tokens", "many"));
        assertTrue(err.toString().contains("--tokens"), err.toString());
    }
}
