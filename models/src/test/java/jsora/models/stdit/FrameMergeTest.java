package jsora.models.stdit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import jsora.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FrameMergeTest {

    /** x[b, t, s, c] that only depends on the merge group of t: pairs (2j, 2j+1), and frame T−1 joins the last pair. */
    private static Tensor pairConstant(int b, int frames, int s, int c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int groups = FrameMerge.mergedLength(frames);
        float[][] group = new float[b * groups][s * c];
        for (float[] g : group) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextDouble(-2, 2);
            }
        }
        Tensor x = Tensor.zeros(b, frames, s, c);
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < frames; t++) {
                float[] g = group[bi * groups + Math.min(t / 2, groups - 1)];
                System.arraycopy(g, 0, x.data(), (bi * frames + t) * s * c, s * c);
            }
        }
        return x;
    }

    private static Tensor frames(float[] v, int... shape) {
        return Tensor.wrap(v, shape);
    }

    @Property(tries = 50)
    void unmergeOfMergeIsIdentityOnPairConstantFrames(@ForAll @IntRange(min = 1, max = 3) int b,
            @ForAll @IntRange(min = 2, max = 13) int frames, @ForAll @IntRange(min = 1, max = 5) int s,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll long seed) {
        Tensor x = pairConstant(b, frames, s, c, seed);
        Tensor m = FrameMerge.merge(x, frames);
        assertArrayEquals(new int[] {b, frames / 2, s, c}, m.shape());
        assertArrayEquals(x.toArray(), FrameMerge.unmerge(m, frames).toArray());
    }

    /**
     * Against a direct scalar reference of On-device Sora's merge.py on arbitrary values, at every frame count up to
     * 17 (odd ones included) and on a view that starts inside a larger array: merge drops the last frame of an odd T
     * and averages pairs, m[j] = (x[2j] + x[2j+1]) / 2; unmerge repeats each merged frame twice and, for odd T,
     * appends the last merged frame once more. Exact: the same single float operation per value.
     */
    @Property(tries = 40)
    void mergeAndUnmergeMatchTheReferenceRule(@ForAll @IntRange(min = 1, max = 3) int b,
            @ForAll @IntRange(min = 2, max = 17) int frames, @ForAll @IntRange(min = 1, max = 5) int s,
            @ForAll @IntRange(min = 1, max = 6) int c, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int row = s * c;
        Tensor big = Tensor.zeros(b + 1, frames, s, c);
        for (int i = 0; i < big.size(); i++) {
            big.data()[i] = (float) r.nextDouble(-3, 3);
        }
        Tensor x = big.slice(1, b + 1);
        float[] v = x.toArray();
        int tm = frames / 2;
        float[] merged = new float[b * tm * row];
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < tm; j++) {
                for (int i = 0; i < row; i++) {
                    merged[(bi * tm + j) * row + i] = (v[(bi * frames + 2 * j) * row + i]
                            + v[(bi * frames + 2 * j + 1) * row + i]) / 2f;
                }
            }
        }
        Tensor m = FrameMerge.merge(x, frames);
        assertArrayEquals(new int[] {b, tm, s, c}, m.shape());
        assertArrayEquals(merged, m.toArray());

        Tensor mIn = Tensor.zeros(b + 1, tm, s, c).slice(1, b + 1);
        mIn.copyFrom(Tensor.wrap(merged.clone(), new int[] {b, tm, s, c}));
        float[] expected = new float[b * frames * row];
        for (int bi = 0; bi < b; bi++) {
            int t = 0;
            for (int j = 0; j < tm; j++) {
                for (int k = 0; k < 2; k++, t++) {
                    System.arraycopy(merged, (bi * tm + j) * row, expected, (bi * frames + t) * row, row);
                }
            }
            if (frames % 2 == 1) {
                System.arraycopy(merged, (bi * tm + tm - 1) * row, expected, (bi * frames + t) * row, row);
            }
        }
        Tensor u = FrameMerge.unmerge(mIn, frames);
        assertArrayEquals(new int[] {b, frames, s, c}, u.shape());
        assertArrayEquals(expected, u.toArray());
    }

    @Test
    void mergeAveragesAdjacentFrames() {
        Tensor x = frames(new float[] {1, 3, 10, 20, 5, 7, 100}, 1, 7, 1, 1);
        assertArrayEquals(new float[] {2, 15, 6}, FrameMerge.merge(x, 7).toArray());
    }

    /** T = 7 is a length the reference runs: frame 6 receives pair (4, 5)'s result, as in On-device Sora. */
    @Test
    void oddLastFrameReceivesTheLastPairAsTheReferenceDoes() {
        Tensor m = frames(new float[] {1, 2, 3}, 1, 3, 1, 1);
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 3}, FrameMerge.unmerge(m, 7).toArray());
    }

    /** T = 5 and T = 6 crash in the reference (its unmerge gives 4 and 7 frames); the same rule gives T frames here. */
    @Test
    void lengthsTheReferenceCannotRunFollowTheSameRule() {
        Tensor m2 = frames(new float[] {1, 2}, 1, 2, 1, 1);
        assertArrayEquals(new float[] {1, 1, 2, 2, 2}, FrameMerge.unmerge(m2, 5).toArray());
        Tensor m3 = frames(new float[] {1, 2, 3}, 1, 3, 1, 1);
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, FrameMerge.unmerge(m3, 6).toArray());
        Tensor m15 = frames(new float[15], 1, 15, 1, 1);
        assertEquals(31, FrameMerge.unmerge(m15, 31).dim(1));
        assertEquals(30, FrameMerge.unmerge(m15, 30).dim(1));
    }

    @Test
    void aSingleFrameIsNotMerged() {
        assertFalse(FrameMerge.applies(1));
    }
}
