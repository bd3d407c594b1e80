package jsora.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link Int8} quantization and the I8 {@link WeightTensor} it makes. */
class Int8Test {
    @Provide
    Arbitrary<Integer> blocks() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 80), Arbitraries.of(32, 64, Int8.PER_ROW));
    }

    /**
     * Each element comes back within half its block's scale, plus float32 rounding: of w / s (at most half an ulp of
     * 127, in units of s, which can send a value at the midpoint between two steps to the farther one) and of q · s;
     * q within ±127.
     */
    @Property(tries = 200)
    void dequantizedIsWithinHalfAScale(@ForAll @IntRange(min = 1, max = 9) int rows,
                                       @ForAll @IntRange(min = 1, max = 300) int k, @ForAll("blocks") int block,
                                       @ForAll @IntRange(min = -20, max = 20) int exponent, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[rows * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * Math.scalb(1.0, exponent));
        }
        WeightTensor w = Int8.quantize(Tensor.wrap(v, new int[] {rows, k}), block);
        int blk = Int8.rowBlock(k, block);
        int per = Int8.blocksPerRow(k, blk);
        assertTrue(blk <= block && (k % block != 0 || block > k || blk == block), "block " + blk + " for " + block);
        assertEquals(blk, w.scaleBlock());
        assertEquals(DType.I8, w.dtype());
        assertEquals(rows * per, w.int8Scales().length);
        float[] back = w.toTensor().data();
        for (int i = 0; i < v.length; i++) {
            int r = i / k;
            int b = i % k / blk;
            float scale = w.int8Scales()[r * per + b];
            double bound = scale / 2 + scale * Math.ulp(127f) + Math.ulp(Math.abs(v[i]) + scale);
            assertTrue(Math.abs(back[i] - v[i]) <= bound, "element " + i + ": " + v[i] + " came back " + back[i]
                    + " (scale " + scale + ")");
            assertTrue(w.int8()[i] >= -127, "q = -128 at " + i);
            assertEquals(w.int8()[i] * scale, w.get(i), 0f);
        }
    }

    /** The largest magnitude of a block is exactly ±127 · s, so the scale is max|w| / 127. */
    @Test
    void scaleIsMaxAbsOver127() {
        float[] v = {0.5f, -2.54f, 1f, 0f, 0f, 0f, 0f, 3f};
        WeightTensor w = Int8.quantize(Tensor.wrap(v, new int[] {2, 4}), Int8.PER_ROW);
        assertArrayEquals(new float[] {2.54f / 127, 3f / 127}, w.int8Scales());
        assertArrayEquals(new byte[] {25, -127, 50, 0, 0, 0, 0, 127}, w.int8());
        assertEquals(4, w.scaleBlock());
    }

    /** A row of 96 in blocks of at most 64 is cut into two blocks of 48: the layout follows from the scale count. */
    @Test
    void rowsAreCutIntoNearEqualBlocks() {
        assertEquals(48, Int8.rowBlock(96, 64));
        assertEquals(64, Int8.rowBlock(4096, 64));
        assertEquals(96, Int8.rowBlock(96, Int8.PER_ROW));
        for (int k = 1; k < 300; k++) {
            for (int b = 1; b <= k + 1; b++) {
                int per = Int8.blocksPerRow(k, Int8.rowBlock(k, b));
                assertEquals(Int8.blocksPerRow(k, Math.min(b, k)), per, "k " + k + " block " + b);
                assertEquals(Int8.rowBlock(k, b), Int8.blockForScales(k, per), "k " + k + " block " + b);
            }
        }
    }

    @Test
    void zeroBlocksHaveZeroScaleAndValues() {
        WeightTensor w = Int8.quantize(Tensor.zeros(2, 6), 4);
        assertArrayEquals(new float[4], w.int8Scales());
        assertArrayEquals(new float[12], w.toTensor().data());
    }

    @Test
    void bytesCountValuesAndScales() {
        WeightTensor w = Int8.quantize(Tensor.zeros(3, 128), 64);
        assertEquals(3 * 128 + 4 * 3 * 2, w.bytes());
    }

    @Test
    void nonFiniteValuesAreRefused() {
        Tensor t = Tensor.wrap(new float[] {1f, Float.NaN}, new int[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> Int8.quantize(t, 64));
    }

    @Test
    void scaleCountMustMatchTheLayout() {
        assertThrows(IllegalArgumentException.class, () -> WeightTensor.ofInt8(new byte[8], new float[3], 2, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> WeightTensor.ofInt8(new byte[8], new float[2], 0, 2, 4));
        assertEquals(DType.I8, WeightTensor.ofInt8(new byte[8], new float[4], 2, 2, 4).dtype());
    }

    /** Reshaping keeps the last axis (the scales run along it), e.g. a [2, 3, 4] weight as [6, 4]. */
    @Test
    void reshapeKeepsTheLastAxis() {
        Tensor t = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new int[] {3, 4});
        WeightTensor w = Int8.quantize(t, 2);
        assertArrayEquals(w.toTensor().data(), w.reshape(1, 3, 4).toTensor().data());
        assertThrows(IllegalArgumentException.class, () -> w.reshape(4, 3));
    }

    @Test
    void ofHalfRefusesOtherTypes() {
        assertThrows(IllegalArgumentException.class, () -> WeightTensor.ofHalf(DType.I8, new short[1], 1));
    }
}
