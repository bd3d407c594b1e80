package jsora.models.sampler;

/**
 * The rectified-flow sampling schedule of Open-Sora 1.2 ({@code RFLOW.sample} and {@code timestep_transform} in
 * {@code opensora/schedulers/rf/}). Every value is computed in float32 in the reference's operation order, because the
 * reference runs these as float32 torch ops: for some sizes {@code transform(1000)} rounds to 1000.000122, which flips
 * STDiT3's frame mask at the first step (see {@link #frameMask}).
 */
public final class Timesteps {
    /** The reference's {@code base_resolution}: 512². */
    static final float BASE_RESOLUTION = 512 * 512;
    /** Latent frames per 17-frame chunk of the Open-Sora VAE v1.2 (hard-coded in the reference's transform). */
    static final int FRAMES_PER_CHUNK = 17;
    static final int LATENT_FRAMES_PER_CHUNK = 5;

    private Timesteps() {
    }

    /**
     * The schedule before the transform: {@code t_i = (1 - i/N)·numTimesteps}, i = 0..N-1, computed in double like the
     * Python list and then stored as a float32 tensor; with {@code discrete}, rounded to the nearest integer first
     * (Python's {@code int(round(t))}: halves go to the even neighbour).
     */
    public static float[] uniform(int steps, int numTimesteps, boolean discrete) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        float[] t = new float[steps];
        for (int i = 0; i < steps; i++) {
            double v = (1.0 - (double) i / steps) * numTimesteps;
            t[i] = (float) (discrete ? Math.rint(v) : v);
        }
        return t;
    }

    /**
     * Fails with a clear message for frame counts whose transform degenerates: for 2–16 frames the reference's
     * {@code num_frames // 17 * 5} is 0, which makes every transformed timestep 0 (nothing is denoised).
     */
    public static void checkFrames(int frames) {
        if (frames >= 2 && frames < FRAMES_PER_CHUNK) {
            throw new IllegalArgumentException("frames " + frames + ": Open-Sora 1.2's timestep transform makes every "
                    + "timestep 0 for 2 to 16 frames; use 1 frame or at least 17");
        }
    }

    /**
     * Open-Sora 1.2's {@code timestep_transform} (scale 1): with {@code s = t/numTimesteps} and
     * {@code r = sqrt(H·W/512²)·sqrt(num_frames//17·5)} (1 for a single frame), returns
     * {@code r·s / (1 + (r-1)·s) · numTimesteps}. Larger videos spend more of the schedule at high noise.
     */
    public static float transform(float t, PixelSize size, int numTimesteps) {
        checkFrames(size.frames());
        float s = t / numTimesteps;
        float resolution = (float) size.height() * (float) size.width();
        float ratioSpace = (float) Math.sqrt(resolution / BASE_RESOLUTION);
        float frames = size.frames() == 1 ? 1f
                : (float) Math.floor((float) size.frames() / FRAMES_PER_CHUNK) * LATENT_FRAMES_PER_CHUNK;
        float ratioTime = (float) Math.sqrt(frames / 1f);
        float ratio = ratioSpace * ratioTime * 1f;
        float newT = ratio * s / (1f + (ratio - 1f) * s);
        return newT * numTimesteps;
    }

    /** The schedule the sampler walks: {@link #uniform}, then {@link #transform} of each value if asked. */
    public static float[] schedule(int steps, int numTimesteps, boolean discrete, boolean useTransform,
            PixelSize size) {
        float[] t = uniform(steps, numTimesteps, discrete);
        if (useTransform) {
            for (int i = 0; i < t.length; i++) {
                t[i] = transform(t[i], size, numTimesteps);
            }
        }
        return t;
    }

    /**
     * STDiT3's {@code x_mask} with the default (all-ones) mask strategy: a frame is denoised at {@code t} when
     * {@code 1·numTimesteps >= t}. All true for every real schedule, except that a transform rounding t above
     * {@code numTimesteps} makes all frames false at that step — faithfully reproduced, both in the model's
     * modulation and in the sampler, which then discards that step's update ({@link RectifiedFlow}).
     */
    public static boolean[] frameMask(int frames, float t, int numTimesteps) {
        boolean on = (float) numTimesteps >= t;
        boolean[] m = new boolean[frames];
        java.util.Arrays.fill(m, on);
        return m;
    }
}
