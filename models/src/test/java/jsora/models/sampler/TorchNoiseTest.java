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

    /**
     * Fewer than 16 values take PyTorch's serial path (one double Box–Muller pair per two values). Expected values:
     * Debian's torch 1.13.1, {@code torch.manual_seed(seed); torch.randn(shape)}; the seed's low 32 bits count.
     */
    @Test
    void fewerThanSixteenValuesAreWhatTorchGives() {
        assertArrayEquals(new float[] {0.33669036626815796f, 0.12880940735340118f, 0.23446236550807953f,
            0.23033303022384644f}, TorchNoise.randn(42, 1, 4, 1, 1, 1).toArray(), 0f);
        assertArrayEquals(new float[] {1.5409960746765137f, -0.293428897857666f, -2.1787893772125244f,
            0.5684312582015991f, -1.0845223665237427f, -1.3985954523086548f, 0.40334683656692505f,
            0.8380263447761536f, -0.7192575931549072f, -0.40334352850914f, -0.5966353416442871f,
            0.18203648924827576f, -0.8566746115684509f, 1.1006041765213013f, -1.0711873769760132f},
                TorchNoise.randn(0, 15).toArray(), 0f);
        assertArrayEquals(new float[] {-0.1467950940132141f}, TorchNoise.randn(7, 1).toArray(), 0f);
        assertArrayEquals(new float[] {-0.4867807626724243f, -0.6038215756416321f, -0.5580962300300598f},
                TorchNoise.randn((1L << 40) + 5, 3).toArray(), 0f);
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
