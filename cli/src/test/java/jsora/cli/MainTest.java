package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private static String filter(String stderr) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.filterStderr(new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dropsTheIncubatorWarningOnly() {
        assertEquals("step 1/30\r", filter(Main.WARNING + "\nstep 1/30\r"));
        assertEquals("step 1/30\r", filter(Main.WARNING + "\r\nstep 1/30\r"));
    }

    @Test
    void keepsEverythingElse() {
        assertEquals("jsora: bad argument\n", filter("jsora: bad argument\n"));
        assertEquals("WARNING: something else\n" + Main.WARNING + "\n",
                filter("WARNING: something else\n" + Main.WARNING + "\n"));
        assertEquals("WARN", filter("WARN"));
        assertEquals("", filter(""));
    }
}
