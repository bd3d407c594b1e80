package jsora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void progressLine() {
        assertEquals("[######........................] step 6/30  2.0 s/step  ETA 48s",
                ProgressBar.line(6, 30, 2.0, false));
        assertEquals("[##############################] step 17/30  2.0 s/step  LPL leap to t=0 at step 17",
                ProgressBar.line(17, 30, 2.0, true));
        assertEquals("1h01m", ProgressBar.duration(3700));
        assertEquals("2m05s", ProgressBar.duration(125));
    }
}
