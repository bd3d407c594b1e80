package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import jsora.tensor.Tensor;
import jsora.weights.SafeTensors;
import jsora.weights.testing.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FrameQuantizerTest {

    @Test
    void layoutIsFrameRowPixelChannel() {
        // [1, 3, F=1, H=1, W=2]: R = (-1, 1), G = (1, -1), B = (0, 0)
        Tensor t = Tensor.wrap(new float[] {-1, 1, 1, -1, 0, 0}, new int[] {1, 3, 1, 1, 2});
        Video v = FrameQuantizer.toVideo(t, 24);
        assertArrayEquals(new byte[] {0, (byte) 255, (byte) 128, (byte) 255, 0, (byte) 128}, v.rgb());
        assertEquals(255, v.sample(0, 0, 1, 0));
    }

    /** e2e golden: the uint8 frames save_sample made from the decoded video, exactly (same float32 ops). */
    @Tag("golden")
    @Test
    void matchesSaveSampleOfTheE2eCases() {
        for (Path dir : Golden.cases("e2e-")) {
            try (SafeTensors io = SafeTensors.open(dir.resolve("io.safetensors"))) {
                for (String run : new String[] {"v12.", "modded."}) {
                    Video v = FrameQuantizer.toVideo(io.tensor(run + "video"), 24);
                    long[] ref = io.longs(run + "frames_uint8");
                    byte[] expected = new byte[ref.length];
                    for (int i = 0; i < ref.length; i++) {
                        expected[i] = (byte) ref[i];
                    }
                    assertArrayEquals(expected, v.rgb(), dir + " " + run + "frames_uint8");
                }
            }
        }
    }
}
