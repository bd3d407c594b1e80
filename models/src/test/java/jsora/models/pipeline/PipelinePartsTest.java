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
    void oddSidesFloorToTheLatentGrid() {
        // 240p 9:16 of Open-Sora 1.2: 240 // 8 = 30, 426 // 8 = 53; decoded 240 x 424
        assertArrayEquals(new int[] {15, 30, 53}, LatentSize.of(new PixelSize(240, 426, 51)));
        assertEquals(new PixelSize(240, 424, 51), LatentSize.decoded(new PixelSize(240, 426, 51)));
        assertArrayEquals(new int[] {15, 45, 80}, LatentSize.of(new PixelSize(360, 640, 51)));
        assertEquals(new PixelSize(160, 216, 17), LatentSize.decoded(new PixelSize(166, 221, 17)));
        assertArrayEquals(new int[] {1, 1, 1}, LatentSize.of(new PixelSize(8, 15, 1)));
    }

    @Test
    void presetsAreTheReferenceSizes() {
        assertEquals(new PixelSize(256, 256, 68), Presets.get("ondevice-256"));
        assertEquals(new PixelSize(192, 192, 68), Presets.get("ondevice-192"));
        assertEquals(new PixelSize(720, 1280, 51), Presets.get("720p-9:16"));
        assertEquals(new PixelSize(240, 426, 51), Presets.get("240p-9:16"));
        assertEquals(new PixelSize(262, 393, 51), Presets.get("240p-2:3"));
        assertEquals(new PixelSize(176, 368, 51), Presets.get("256-12:25"));
        assertEquals(2 + 8 * 17 + 4, Presets.all().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.get("4k"));
        assertTrue(e.getMessage().startsWith("unknown preset '4k'; known: ondevice-256, ondevice-192"), e.getMessage());
        assertTrue(e.getMessage().contains("--list-presets"), e.getMessage());
    }

    @Test
    void frameCountsTakeOpenSorasNames() {
        assertEquals(51, FrameCounts.parse("2s"));
        assertEquals(102, FrameCounts.parse("4s"));
        assertEquals(204, FrameCounts.parse("8s"));
        assertEquals(408, FrameCounts.parse("16s"));
        assertEquals(102, FrameCounts.parse("2x"));
        assertEquals(68, FrameCounts.parse("68"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameCounts.parse("3s"));
        assertTrue(e.getMessage().startsWith("--frames 3s: expected a number or one of 2s, 4s"), e.getMessage());
    }

    @Test
    void requestsRefuseWhatTheModelCannotDo() {
        RectifiedFlow.Config c = RectifiedFlow.Config.openSora12();
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", new PixelSize(7, 256, 68), 24, c,
                null, 0, 1));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p",
                new PixelSize(1080, 1920, 408), 24, c, null, 0, 1));
        assertTrue(big.getMessage().contains("more than one Java array holds"), big.getMessage());
        new GenerationRequest("p", new PixelSize(240, 426, 51), 24, c, null, 0, 1);
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
