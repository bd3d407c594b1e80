package jsora.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import jsora.models.ProjectGolden;
import jsora.tensor.DType;
import jsora.tensor.Tensor;
import jsora.tensor.testing.Approx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The VAE's tiling at odd latent sizes and at frame counts that are no multiple of micro_frame_size (17) or of the
 * temporal factor (4), on the tiny VAE of the golden case vae-pipeline-odd with seeded random weights. Open-Sora 1.2
 * tiles in time only: the temporal decoder runs on chunks of 5 latent frames, chunk k asked for min(17, n − 17k)
 * frames (its first (4 − that % 4) % 4 decoded frames dropped), and the image decoder runs on micro-batches of frames;
 * it never tiles height or width (its GroupNorms see the whole frame). Tolerance 1e-5·max(1, max|expected|) where the
 * same frames go through the image decoder in other micro-batches (other GEMM shapes), 0 elsewhere.
 */
class VaeTilingPropertiesTest {
    private static final double TOL = 1e-5;
    private static final VaeConfig CONFIG = VaeConfig.parse(config());
    private static final Params WEIGHTS = Params.random(31, DType.F32);
    private static final VideoAutoencoderPipeline VAE = new VideoAutoencoderPipeline(WEIGHTS, CONFIG,
            VideoAutoencoderPipeline.Parts.DECODER);

    private static Path config() {
        return ProjectGolden.cases("vae-pipeline-odd").get(0).resolve("config.json");
    }

    private static Tensor gaussian(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (r.nextDouble(-1, 1) + r.nextDouble(-1, 1));
        }
        return t;
    }

    /** get_latent_size in time as the README states it: 5 per whole 17-frame chunk, ceil(rest / 4) for the rest. */
    private static int latentFrames(int frames) {
        return 5 * (frames / 17) + (frames % 17 + 3) / 4;
    }

    /**
     * n frames decode to exactly n frames of 8h × 8w, and frames [17k, 17k + n_k) are what chunk k's 5 latent frames
     * decode to on their own for n_k = min(17, n − 17k) frames: chunks are independent and split where the reference
     * splits them, the last (partial) one included.
     */
    @Property(tries = 8)
    void eachTemporalChunkDecodesOnItsOwn(@ForAll @IntRange(min = 1, max = 5) int h,
            @ForAll @IntRange(min = 1, max = 5) int w, @ForAll @IntRange(min = 1, max = 45) int frames,
            @ForAll long seed) {
        int tz = latentFrames(frames);
        assertEquals(tz, VAE.latentFrames(frames), "latent frames for " + frames);
        Tensor z = gaussian(seed, 1, 4, tz, h, w);
        Tensor video = VAE.decode(z, frames);
        assertArrayEquals(new int[] {1, 3, frames, 8 * h, 8 * w}, video.shape());
        int chunks = 0;
        for (int k = 0; 17 * k < frames; k++, chunks++) {
            int nk = Math.min(17, frames - 17 * k);
            Tensor alone = VAE.decode(TimeAxis.sliceTime(z, 5 * k, Math.min(tz, 5 * k + 5)), nk);
            Approx.assertClose("chunk " + k + " of " + frames + " frames at " + h + "x" + w,
                    TimeAxis.sliceTime(video, 17 * k, 17 * k + nk), alone, TOL);
        }
        assertEquals((frames + 16) / 17, chunks);
    }

    /**
     * Within a chunk (the temporal VAE alone, as the pipeline calls it), asking for fewer frames than the decoder's
     * 4·Tz drops the leading ones (the causal padding): n frames are the last n of the 4·Tz, bit for bit.
     */
    @Property(tries = 10)
    void aShortChunkDropsItsLeadingFrames(@ForAll @IntRange(min = 1, max = 5) int tz,
            @ForAll @IntRange(min = 0, max = 3) int drop, @ForAll @IntRange(min = 1, max = 4) int h,
            @ForAll @IntRange(min = 1, max = 4) int w, @ForAll long seed) {
        int frames = Math.max(1, 4 * tz - drop);
        Tensor z = gaussian(seed, 1, 4, tz, h, w);
        Tensor full = VAE.temporalVae().decode(z, 4 * tz);
        Tensor cut = VAE.temporalVae().decode(z, frames);
        assertArrayEquals(new int[] {1, 4, frames, h, w}, cut.shape());
        Approx.assertClose(frames + " of " + 4 * tz + " frames", TimeAxis.sliceTime(full, 4 * tz - frames, 4 * tz), cut,
                0);
    }

    /** The image decoder's micro-batches (1, 3, the config's 4, all frames at once) do not change the video. */
    @Property(tries = 5)
    void spatialMicroBatchesDoNotChangeTheVideo(@ForAll @IntRange(min = 1, max = 5) int h,
            @ForAll @IntRange(min = 1, max = 5) int w, @ForAll @IntRange(min = 1, max = 11) int frames,
            @ForAll long seed) {
        Tensor xz = gaussian(seed, 1, 4, frames, h, w);
        Tensor expected = VAE.decodeSpatial(xz);
        for (int batch : new int[] {1, 3, frames}) {
            VideoAutoencoderPipeline other = new VideoAutoencoderPipeline(WEIGHTS, CONFIG.withMicroBatchSize(batch),
                    VideoAutoencoderPipeline.Parts.DECODER);
            Approx.assertClose("micro-batch " + batch + ", " + frames + " frames at " + h + "x" + w, expected,
                    other.decodeSpatial(xz), TOL);
        }
    }
}
