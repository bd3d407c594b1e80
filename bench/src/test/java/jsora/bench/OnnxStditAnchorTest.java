package jsora.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The anchor reads jsora's times from {@code bench stdit}'s report; no timing runs here. */
class OnnxStditAnchorTest {
    private static final String REPORT = String.join("\n",
            "GEMM probe [1024, 1152] x [4608, 1152]^T: 165.39 GFLOPS (best of 5)",
            "    temporal_blocks.0                         8.1",
            String.format("TDTM %-3s: %10.1f ms/pair (best of %d)  %8.1f GFLOP", "off", 11935.0, 1, 808.7),
            String.format("TDTM %-3s: %10.1f ms/pair (best of %d)  %8.1f GFLOP", "on", 5991.6, 1, 624.7),
            "TDTM speedup on the pair: 1.99x");

    @Test
    void readsBothTdtmSettings() {
        assertEquals(11935.0, OnnxStditAnchor.jsoraMs(REPORT, false));
        assertEquals(5991.6, OnnxStditAnchor.jsoraMs(REPORT, true));
    }

    @Test
    void failsWithoutTheLine() {
        assertThrows(IllegalStateException.class, () -> OnnxStditAnchor.jsoraMs("TDTM speedup on the pair: 2x", true));
    }
}
