package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jsora.models.sampler.PixelSize;
import jsora.models.sampler.RectifiedFlow;
import org.junit.jupiter.api.Test;

class PipelinePartsTest {

    @Test
    void latentSizeFollowsTheVaeChunks() {
        assertArrayEquals(new int[] {7, 4, 6}, LatentSize.of(new PixelSize(32, 48, 24))); // e2e-tiny
        assertArrayEquals(new int[] {20, 32, 32}, LatentSize.of(new PixelSize(256, 256, 68)));
        assertArrayEquals(new int[] {15, 18, 32}, LatentSize.of(new PixelSize(144, 256, 51)));
        assertArrayEquals(new int[] {5, 2, 2}, LatentSize.of(new PixelSize(16, 16, 17)));
        assertArrayEquals(new int[] {1, 2, 2}, LatentSize.of(new PixelSize(16, 16, 1)));
    }

    @Test
    void presetsAreTheReferenceSizes() {
        assertEquals(new PixelSize(256, 256, 68), Presets.get("ondevice-256"));
        assertEquals(new PixelSize(192, 192, 68), Presets.get("ondevice-192"));
        assertEquals(new PixelSize(720, 1280, 51), Presets.get("720p-9:16"));
        for (PixelSize s : Presets.all().values()) {
            assertTrue(s.height() % 16 == 0 && s.width() % 16 == 0, s.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.get("4k"));
        assertTrue(e.getMessage().startsWith("unknown preset '4k'; known: ondevice-256, ondevice-192"), e.getMessage());
    }

    @Test
    void requestsRefuseWhatTheModelCannotDo() {
        RectifiedFlow.Config c = RectifiedFlow.Config.openSora12();
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", new PixelSize(250, 256, 68), 24, c,
                null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", new PixelSize(256, 256, 12), 24, c,
                null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", new PixelSize(256, 256, 409), 24,
                c, null, 0, 1));
        new GenerationRequest("p", new PixelSize(256, 256, 1), 24, c, null, 0, 1);
    }

    @Test
    void peakMemoryFromProcStatus() {
        assertEquals(123456L * 1024, PeakMemory.parse("Name:\tjava\nVmPeak:\t 999 kB\nVmHWM:\t  123456 kB\n"));
        assertEquals(-1, PeakMemory.parse("Name: x\n"));
    }
}
