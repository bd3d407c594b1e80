package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jsora.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TorchNoiseTest {

    @Test
    void mersenneTwisterMatchesTheStandardSequence() {
        // C++ std::mt19937 with the default seed 5489: first output, and the 10000th (required by the standard)
        TorchNoise g = new TorchNoise(5489);
        assertEquals(3499211612L, Integer.toUnsignedLong(g.nextInt()));
        for (int i = 1; i < 9999; i++) {
            g.nextInt();
        }
        assertEquals(4123659995L, Integer.toUnsignedLong(g.nextInt()));
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherBits() {
        assertArrayEquals(TorchNoise.randn(42, 3, 7).toArray(), TorchNoise.randn(42, 3, 7).toArray(), 0f);
        assertTrue(TorchNoise.randn(42, 32).data()[0] != TorchNoise.randn(43, 32).data()[0]);
    }

    @Test
    void valuesLookStandardNormal() {
        Tensor t = TorchNoise.randn(7, 100_003);
        double sum = 0;
        double sq = 0;
        for (float v : t.data()) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / t.size();
        assertEquals(0, mean, 0.02);
        assertEquals(1, sq / t.size() - mean * mean, 0.02);
    }
}
