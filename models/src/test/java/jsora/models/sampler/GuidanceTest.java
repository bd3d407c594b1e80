package jsora.models.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jsora.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GuidanceTest {

    @Test
    void doubledStacksTheBatchTwice() {
        Tensor z = Tensor.wrap(new float[] {1, 2, 3, 4}, new int[] {2, 1, 1, 1, 2});
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, Guidance.doubled(z).toArray());
        assertArrayEquals(new int[] {4, 1, 1, 1, 2}, Guidance.doubled(z).shape());
    }

    @Test
    void combineUsesTheFirstChannelsOfConditionalAndUnconditionalRows() {
        // B = 1, C' = 2 (velocity + unused sigma), T = H = 1, W = 2
        Tensor out = Tensor.wrap(new float[] {
            3, 5, /* sigma */ 100, 100,   // conditional
            1, 1, /* sigma */ -100, -100  // unconditional
        }, new int[] {2, 2, 1, 1, 2});
        Tensor v = Guidance.combine(out, 1, 7f);
        assertArrayEquals(new int[] {1, 1, 1, 1, 2}, v.shape());
        assertArrayEquals(new float[] {1 + 7 * 2, 1 + 7 * 4}, v.toArray());
    }

    @Test
    void combineKeepsTheReferenceFloatOrder() {
        float c = 0.1f;
        float u = 0.3f;
        Tensor out = Tensor.wrap(new float[] {c, u}, new int[] {2, 1, 1, 1, 1});
        assertEquals(u + 7.0f * (c - u), Guidance.combine(out, 1, 7f).data()[0], 0f);
    }

    @Test
    void combineRejectsAnOddBatch() {
        assertThrows(IllegalArgumentException.class, () -> Guidance.combine(Tensor.zeros(3, 1, 1, 1, 1), 1, 7f));
    }
}
