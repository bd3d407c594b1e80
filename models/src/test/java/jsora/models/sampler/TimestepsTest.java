package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimestepsTest {

    @Test
    void uniformScheduleStartsAtNumTimestepsAndStopsBeforeZero() {
        assertArrayEquals(new float[] {1000f, 750f, 500f, 250f}, Timesteps.uniform(4, 1000, false), 0f);
        float[] t = Timesteps.uniform(3, 1000, false);
        assertEquals((float) (2.0 / 3 * 1000), t[1], 0f);
    }

    @Test
    void discreteScheduleRoundsHalvesToEvenLikePython() {
        // (1 - 1/16)·1000 = 937.5 and (1 - 15/16)·1000 = 62.5: Python's round() gives 938 and 62
        float[] t = Timesteps.uniform(16, 1000, true);
        assertEquals(938f, t[1], 0f);
        assertEquals(62f, t[15], 0f);
        assertEquals(667f, Timesteps.uniform(3, 1000, true)[1], 0f);
    }

    @Test
    void transformIsIdentityAt512SquaredSingleFrame() {
        PixelSize s = new PixelSize(512, 512, 1);
        for (float t : new float[] {1000f, 731f, 250f, 1f}) {
            assertEquals(t, Timesteps.transform(t, s, 1000), 1e-3f);
        }
    }

    @Test
    void transformShiftsLargerVideosTowardsNoise() {
        PixelSize small = new PixelSize(144, 256, 51);
        PixelSize large = new PixelSize(720, 1280, 102);
        float a = Timesteps.transform(500f, small, 1000);
        float b = Timesteps.transform(500f, large, 1000);
        assertTrue(a > 500f && b > a, a + " " + b);
    }

    @Test
    void float32RoundingLiftsTheFirstTimestepAboveOneThousandForSomeSizes() {
        // the sizes the rflow READMEs name: fp32 transform(1000) = 1000.000122, so every frame mask is off at step 0
        for (PixelSize s : new PixelSize[] {new PixelSize(64, 64, 17), new PixelSize(48, 64, 24)}) {
            float t0 = Timesteps.transform(1000f, s, 1000);
            assertEquals(1000.000122f, t0, 0f, s.toString());
            assertArrayEquals(new boolean[] {false, false}, Timesteps.frameMask(2, t0, 1000));
        }
        // and real sizes give exactly 1000
        for (PixelSize s : new PixelSize[] {new PixelSize(240, 426, 51), new PixelSize(144, 256, 51),
                new PixelSize(720, 1280, 102), new PixelSize(256, 256, 68), new PixelSize(192, 192, 68)}) {
            assertEquals(1000f, Timesteps.transform(1000f, s, 1000), 0f, s.toString());
        }
    }

    @Test
    void refusesTheFrameCountsTheReferenceDegeneratesOn() {
        for (int f = 2; f <= 16; f++) {
            int frames = f;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Timesteps.transform(1000f, new PixelSize(256, 256, frames), 1000));
            assertTrue(e.getMessage().contains("frames " + f), e.getMessage());
        }
        Timesteps.checkFrames(1);
        Timesteps.checkFrames(17);
    }

    @Test
    void scheduleWithoutTransformIsTheUniformOne() {
        assertArrayEquals(Timesteps.uniform(5, 1000, true),
                Timesteps.schedule(5, 1000, true, false, new PixelSize(256, 256, 68)), 0f);
    }
}
