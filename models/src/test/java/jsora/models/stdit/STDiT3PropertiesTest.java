package jsora.models.stdit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jsora.models.Taps;
import jsora.tensor.Parallel;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Properties of the forward pass on a small random-weight model. */
class STDiT3PropertiesTest {
    private static final STDiT3Config CONFIG = RandomParams.tinyConfig();
    private static final STDiT3 MODEL = STDiT3.create(CONFIG, new RandomParams(7));

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) RandomParams.gaussian(r);
        }
        return t;
    }

    private static STDiT3.Input input(Tensor x, Tensor y) {
        return new STDiT3.Input(x, new float[] {700f, 700f}, y, new float[] {24f}, 8 * x.dim(3), 8 * x.dim(4));
    }

    /** Padded caption tokens are dropped before cross-attention: whatever they hold, the output is the same. */
    @Property(tries = 15)
    void aMaskedTextTokenNeverChangesTheOutput(@ForAll @IntRange(min = 1, max = 63) int validBits,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int l = CONFIG.modelMaxLength;
        Tensor mask = Tensor.zeros(1, l);
        for (int j = 0; j < l; j++) {
            mask.data()[j] = (validBits >> j & 1) == 0 ? 0f : 1f;
        }
        Tensor x = random(r, 2, 4, 3, 4, 4);
        Tensor y = random(r, 2, 1, l, CONFIG.captionChannels);
        Tensor before = MODEL.forward(input(x, y).mask(mask));
        Tensor garbage = y.copy();
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < l; j++) {
                if (mask.data()[j] == 0f) {
                    for (int c = 0; c < CONFIG.captionChannels; c++) {
                        garbage.put((float) (100 * RandomParams.gaussian(r)), b, 0, j, c);
                    }
                }
            }
        }
        assertArrayEquals(before.toArray(), MODEL.forward(input(x, garbage).mask(mask)).toArray());
    }

    /** The check above is not vacuous: a valid token does change the output. */
    @Test
    void aValidTextTokenChangesTheOutput() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = random(r, 2, 4, 3, 4, 4);
        Tensor y = random(r, 2, 1, CONFIG.modelMaxLength, CONFIG.captionChannels);
        Tensor mask = Tensor.wrap(new float[] {1, 1, 0, 0, 0, 0}, new int[] {1, 6});
        Tensor before = MODEL.forward(input(x, y).mask(mask));
        Tensor changed = y.copy();
        changed.put(5f, 0, 0, 1, 0);
        assertNotEquals(Approx.maxAbsDiff(before, MODEL.forward(input(x, changed).mask(mask))), 0.0);
    }

    /**
     * On frames that come in equal pairs, attention within a frame and cross-attention give the same result merged or
     * not, so a spatial block with TDTM on equals it with TDTM off (this pins the merged layouts).
     */
    @Property(tries = 10)
    void spatialBlockIgnoresMergingOfEqualFramePairs(@ForAll @IntRange(min = 2, max = 7) int frames,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int s = 4;
        int c = CONFIG.hiddenSize;
        Tensor x = Tensor.zeros(2, frames * s, c);
        Tensor distinct = random(r, 2, frames / 2, s, c);
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < frames; t++) {
                x.get(b).slice(t * s, (t + 1) * s).copyFrom(distinct.get(b).get(Math.min(t / 2, frames / 2 - 1)));
            }
        }
        BlockPair pair = BlockPair.load(new RandomParams(11), CONFIG, 0);
        TextCondition text = new TextCondition(random(r, 5, c), new int[] {2, 3});
        Tensor tMlp = random(r, 2, 6 * c);
        Tensor on = x.copy();
        Tensor off = x.copy();
        pair.spatial.forward(on, context(frames, s, text, tMlp, true), "s");
        pair.spatial.forward(off, context(frames, s, text, tMlp, false), "s");
        Approx.assertClose("merged vs unmerged", off, on, 1e-5);
    }

    private static BlockContext context(int frames, int s, TextCondition text, Tensor tMlp, boolean merge) {
        Tensor freqs = new RandomParams(0).tensor("rope.freqs", CONFIG.headDim() / 2);
        return new BlockContext(frames, s, text, tMlp, null, null, merge, RotaryTable.of(freqs, frames),
                RotaryTable.of(freqs, frames / 2), Taps.NONE);
    }

    /** TDTM runs for every frame count, including those the reference cannot (T % 4 in {1, 2}), and changes the result. */
    @Test
    void mergingRunsForEveryFrameCount() {
        SplittableRandom r = new SplittableRandom(5);
        for (int frames = 1; frames <= 9; frames++) {
            Tensor x = random(r, 2, 4, frames, 3, 5);
            Tensor y = random(r, 2, 1, CONFIG.modelMaxLength, CONFIG.captionChannels);
            Tensor merged = MODEL.forward(input(x, y).mergeFrames(true));
            Tensor plain = MODEL.forward(input(x, y));
            assertArrayEquals(new int[] {2, 8, frames, 3, 5}, merged.shape());
            for (float v : merged.toArray()) {
                assertTrue(Float.isFinite(v), "T=" + frames);
            }
            if (frames >= 2) {
                assertNotEquals(0.0, Approx.maxAbsDiff(plain, merged), "T=" + frames);
            } else {
                assertArrayEquals(plain.toArray(), merged.toArray());
            }
        }
    }

    /**
     * An odd latent side: the model pads x at the bottom/right to whole 2×2 patches and crops its output back. The
     * same x zero-padded beforehand, with the same pixel height and width (so the same positional embedding and
     * resolution), gives the same output on the first H × W, bit for bit, with TDTM on and off and at odd frame
     * counts; the output has the input's odd shape.
     */
    @Property(tries = 12)
    void oddSidesAreTheZeroPaddedGridCropped(@ForAll @IntRange(min = 0, max = 3) int halfH,
            @ForAll @IntRange(min = 1, max = 7) int w, @ForAll @IntRange(min = 1, max = 7) int frames,
            @ForAll boolean merge, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int h = 2 * halfH + 1;
        Tensor x = random(r, 2, 4, frames, h, w);
        Tensor y = random(r, 2, 1, CONFIG.modelMaxLength, CONFIG.captionChannels);
        float[] t = {(float) r.nextDouble(0, 1000), 0f};
        t[1] = t[0];
        Tensor out = MODEL.forward(new STDiT3.Input(x, t, y, new float[] {24f}, 8 * h, 8 * w).mergeFrames(merge));
        assertArrayEquals(new int[] {2, 8, frames, h, w}, out.shape());
        int hp = h + 1;
        int wp = w + w % 2;
        Tensor padded = Tensor.zeros(2, 4, frames, hp, wp);
        for (int n = 0; n < 2 * 4 * frames; n++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x.data(), (n * h + i) * w, padded.data(), (n * hp + i) * wp, w);
            }
        }
        Tensor big = MODEL.forward(new STDiT3.Input(padded, t, y, new float[] {24f}, 8 * h, 8 * w)
                .mergeFrames(merge));
        Tensor cropped = Tensor.zeros(out.shape());
        for (int n = 0; n < 2 * 8 * frames; n++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(big.data(), big.offset() + (n * hp + i) * wp, cropped.data(), (n * h + i) * w, w);
            }
        }
        Approx.assertClose(h + "x" + w + ", T=" + frames + ", merge " + merge, cropped, out, 0);
    }

    /** x_mask false on a frame modulates it as timestep 0; all-true is the same as no mask. */
    @Test
    void xMaskSelectsTheTimestepZeroModulationPerFrame() {
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = random(r, 2, 4, 3, 4, 4);
        Tensor y = random(r, 2, 1, CONFIG.modelMaxLength, CONFIG.captionChannels);
        Tensor none = MODEL.forward(input(x, y));
        Tensor allTrue = MODEL.forward(input(x, y).xMask(new boolean[][] {{true, true, true}, {true, true, true}}));
        assertArrayEquals(none.toArray(), allTrue.toArray());
        Tensor firstClean = MODEL.forward(input(x, y).xMask(new boolean[][] {{false, true, true}, {false, true, true}}));
        assertNotEquals(0.0, Approx.maxAbsDiff(none, firstClean));
    }

    @Test
    void badInputsSayWhatIsWrong() {
        SplittableRandom r = new SplittableRandom(1);
        Tensor x = random(r, 2, 4, 3, 4, 4);
        Tensor y = random(r, 2, 1, CONFIG.modelMaxLength, CONFIG.captionChannels);
        assertMessage("x must be", () -> MODEL.forward(input(random(r, 2, 3, 3, 4, 4), y)));
        assertMessage("timestep has 1 values", () -> MODEL.forward(
                new STDiT3.Input(x, new float[] {1f}, y, new float[] {24f}, 32, 32)));
        assertMessage("x_mask must be [2][3]", () -> MODEL.forward(input(x, y).xMask(new boolean[2][5])));
        assertMessage("y must be", () -> MODEL.forward(input(x, y.reshape(2, CONFIG.modelMaxLength, -1))));
        assertMessage("mask must be", () -> MODEL.forward(input(x, y).mask(Tensor.zeros(3, CONFIG.modelMaxLength))));
        assertMessage("fps has 3 values", () -> MODEL.forward(
                new STDiT3.Input(x, new float[] {1f, 1f}, y, new float[] {24f, 24f, 24f}, 32, 32)));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** Every layer computes each output element on one thread in a fixed order: any thread count, same bits. */
    @Test
    void outputIsBitIdenticalForAnyThreadCount() {
        SplittableRandom r = new SplittableRandom(13);
        Tensor x = random(r, 2, 4, 5, 6, 6);
        Tensor y = random(r, 2, 1, CONFIG.modelMaxLength, CONFIG.captionChannels);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor one = MODEL.forward(input(x, y).mergeFrames(true));
            Parallel.setThreads(3);
            assertArrayEquals(one.toArray(), MODEL.forward(input(x, y).mergeFrames(true)).toArray());
        } finally {
            Parallel.setThreads(before);
        }
    }
}
