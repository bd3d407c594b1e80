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
