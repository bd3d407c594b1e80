package jsora.models.pipeline;

import jsora.models.sampler.LinearProportionalLeap;
import jsora.models.sampler.PixelSize;
import jsora.models.sampler.RectifiedFlow;
import jsora.models.sampler.Timesteps;

/**
 * What to generate and how.
 *
 * @param prompt     the text, after prompt preparation
 * @param size       video height, width and frame count
 * @param fps        frames per second (model conditioning and output)
 * @param sampler    sampler settings
 * @param lpl        LPL settings, or null for every step
 * @param mergeSteps TDTM: merge frame pairs in the first this many steps (0 = off)
 * @param seed       seed of the initial noise
 */
public record GenerationRequest(String prompt, PixelSize size, int fps, RectifiedFlow.Config sampler, LplSettings lpl,
        int mergeSteps, long seed) {

    /** The largest frame count accepted (Open-Sora 1.2's longest, 16 s at 24 fps = 408 frames, "16s"). */
    public static final int MAX_FRAMES = 408;
    /** The highest frame rate: a GIF's frame delay counts hundredths of a second. */
    public static final int MAX_FPS = 100;
    /** The most float values one tensor holds (its array's length; a little below 2^31, as the JVM allows). */
    static final long MAX_VIDEO_VALUES = Integer.MAX_VALUE - 8;

    public GenerationRequest {
        if (size.height() < LatentSize.SPATIAL_FACTOR || size.width() < LatentSize.SPATIAL_FACTOR) {
            throw new IllegalArgumentException("size " + size.width() + "x" + size.height() + ": width and height must "
                    + "be at least " + LatentSize.SPATIAL_FACTOR + " (one latent pixel)");
        }
        PixelSize video = LatentSize.decoded(size);
        if (3L * video.frames() * video.height() * video.width() > MAX_VIDEO_VALUES) {
            throw new IllegalArgumentException("size " + size.width() + "x" + size.height() + " with " + size.frames()
                    + " frames: the decoded video (3 x frames x height x width values) is more than one Java array "
                    + "holds; use fewer frames or a smaller size");
        }
        if (size.frames() > MAX_FRAMES) {
            throw new IllegalArgumentException("frames " + size.frames() + ": at most " + MAX_FRAMES);
        }
        Timesteps.checkFrames(size.frames());
        if (fps < 1 || fps > MAX_FPS) {
            throw new IllegalArgumentException("fps " + fps + ": must be 1 to " + MAX_FPS);
        }
        if (mergeSteps < 0) {
            throw new IllegalArgumentException("--tdtm must be >= 0, got " + mergeSteps);
        }
    }

    /** LPL's constants (defaults: the reference's). */
    public record LplSettings(int minimumSteps, int patience, float cosTolerance) {
        public static LplSettings defaults() {
            return new LplSettings(LinearProportionalLeap.DEFAULT_MINIMUM_STEPS, LinearProportionalLeap.DEFAULT_PATIENCE,
                    LinearProportionalLeap.DEFAULT_COS_TOLERANCE);
        }

        LinearProportionalLeap newState() {
            return new LinearProportionalLeap(minimumSteps, patience, cosTolerance);
        }
    }
}
