package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jsora.models.sampler.PixelSize;
import jsora.models.sampler.RectifiedFlow;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline (tokenizer, T5, STDiT3 with and without TDTM, sampler, VAE, 8-bit frames) on the demo's tiny
 * random-weight models at sizes Open-Sora 1.2 floors: any height and width of at least 8, odd latent sides, and frame
 * counts that are odd or no multiple of 17 or 4. The video comes out at the size the reference's VAE decodes to,
 * 8·⌊H/8⌋ × 8·⌊W/8⌋ with every requested frame (get_latent_size floors, the decoder gives 8× its latent).
 */
class PipelineOddSizesTest {
    private static final RectifiedFlow.Config ONE_STEP = RectifiedFlow.Config.openSora12().withSteps(1);

    private static Video generate(PixelSize size, int mergeSteps, long seed) {
        GenerationRequest req = new GenerationRequest("a red panda climbing a tree", size, 24, ONE_STEP, null,
                mergeSteps, seed);
        return new Pipeline(new DemoModels(seed, null)).run(req, null).video();
    }

    private static void assertDecodedSize(PixelSize asked, Video v) {
        String what = asked.width() + "x" + asked.height() + ", " + asked.frames() + " frames";
        assertEquals(asked.height() / 8 * 8, v.height(), what + ": height");
        assertEquals(asked.width() / 8 * 8, v.width(), what + ": width");
        assertEquals(asked.frames(), v.frames(), what + ": frames");
        assertEquals(3L * v.frames() * v.height() * v.width(), v.rgb().length, what + ": bytes");
    }

    @Provide
    Arbitrary<Integer> frames() {
        return Arbitraries.oneOf(Arbitraries.just(1), Arbitraries.integers().between(17, 38));
    }

    @Property(tries = 5)
    void framesComeOutAtTheReferencesDecodedSize(@ForAll @IntRange(min = 8, max = 60) int height,
            @ForAll @IntRange(min = 8, max = 60) int width, @ForAll("frames") int frames,
            @ForAll @IntRange(min = 0, max = 1) int mergeSteps, @ForAll @IntRange(min = 0, max = 99) int seed) {
        PixelSize size = new PixelSize(height, width, frames);
        assertDecodedSize(size, generate(size, mergeSteps, seed));
    }

    /**
     * Open-Sora 1.2's default, 240p at 9:16: latent 30 × 53 (odd width), 17 frames (5 latent frames, odd, merged by
     * TDTM in the first step), written at 240 × 424; the frames are not all one colour.
     */
    @Test
    void openSorasDefaultSizeComesOutAt424x240() {
        PixelSize size = new PixelSize(240, 426, 17);
        Video v = generate(size, 1, 7);
        assertDecodedSize(size, v);
        byte first = v.rgb()[0];
        boolean varies = false;
        for (byte b : v.rgb()) {
            varies |= b != first;
        }
        assertTrue(varies, "every byte is " + first);
    }
}
