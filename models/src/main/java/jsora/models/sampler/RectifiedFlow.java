package jsora.models.sampler;

import java.util.Arrays;
import java.util.function.Consumer;
import jsora.tensor.Tensor;

/**
 * Open-Sora 1.2's rectified-flow sampler ({@code RFLOW.sample}, {@code opensora/schedulers/rf/__init__.py} at
 * v1.2.0), with On-device Sora's LPL as an option. From noise z at t = 1000 it integrates the guided velocity down to
 * t = 0 with Euler steps: {@code z += v·(t_i − t_{i+1})/1000}, the last step going to 0. The default mask strategy is
 * built in (every frame generated; the reference's per-step {@code randn_like} draw is used only in the case below,
 * and made only when the generator is passed), including its frame mask: at a step whose transformed t exceeds num_timesteps (float32 rounding puts the
 * first t just above 1000 at some sizes, e.g. 24×45 with 24 frames) every frame is masked, the model sees x_mask
 * false, and the step's update is discarded, as the reference's {@code torch.where(mask_t_upper, z, x0)} does; at
 * the next step those frames, no longer masked and not yet "noise added", are re-noised from z0 with that step's
 * {@code randn_like} draw (add_noise), which the generator z0 came from reproduces when it is passed.
 * Arithmetic follows the reference's float32 operation order.
 */
public final class RectifiedFlow {

    /**
     * Sampler settings.
     *
     * @param steps              number of sampling steps ({@code num_sampling_steps})
     * @param numTimesteps       the time scale ({@code num_timesteps}, 1000)
     * @param cfgScale           classifier-free guidance scale
     * @param discrete           round the uniform schedule to integers before the transform
     * @param timestepTransform  apply {@link Timesteps#transform} (resolution and frame-count shift)
     */
    public record Config(int steps, int numTimesteps, float cfgScale, boolean discrete, boolean timestepTransform) {
        public static final int DEFAULT_STEPS = 30;
        public static final float DEFAULT_CFG = 7.0f;

        public Config {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            if (numTimesteps < 1) {
                throw new IllegalArgumentException("num_timesteps must be >= 1, got " + numTimesteps);
            }
            if (!Float.isFinite(cfgScale)) {
                throw new IllegalArgumentException("cfg scale must be a finite number, got " + cfgScale);
            }
        }

        /** Open-Sora 1.2's inference config: 30 steps, cfg 7.0, continuous timesteps, transform on. */
        public static Config openSora12() {
            return new Config(DEFAULT_STEPS, 1000, DEFAULT_CFG, false, true);
        }

        /** On-device Sora's modified scheduler: as {@link #openSora12} but with discrete timesteps. */
        public static Config onDeviceSora() {
            return new Config(DEFAULT_STEPS, 1000, DEFAULT_CFG, true, true);
        }

        public Config withSteps(int n) {
            return new Config(n, numTimesteps, cfgScale, discrete, timestepTransform);
        }

        public Config withCfgScale(float s) {
            return new Config(steps, numTimesteps, s, discrete, timestepTransform);
        }

        public Config withDiscrete(boolean d) {
            return new Config(steps, numTimesteps, cfgScale, d, timestepTransform);
        }
    }

    /**
     * The outcome of a run.
     *
     * @param z          the final latent [B, C, T, H, W] (what the VAE decodes)
     * @param timesteps  the timesteps of the model calls made
     * @param leapStep   the step at which LPL leapt, or -1
     */
    public record Result(Tensor z, float[] timesteps, int leapStep) {
        public int modelCalls() {
            return timesteps.length;
        }
    }

    private final Config config;

    public RectifiedFlow(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** The timesteps of every step of a full run for a video of this size. */
    public float[] schedule(PixelSize size) {
        return Timesteps.schedule(config.steps(), config.numTimesteps(), config.discrete(),
                config.timestepTransform(), size);
    }

    /**
     * Samples from the initial noise {@code z0} [B, C, T, H, W] (not modified).
     *
     * @param lpl      LPL state for this run, or null to run every step
     * @param listener told about every step (may be null)
     */
    public Result sample(Denoiser model, Tensor z0, PixelSize size, LinearProportionalLeap lpl,
            Consumer<SamplerStep> listener) {
        return sample(model, z0, null, size, lpl, listener);
    }

    /**
     * {@link #sample(Denoiser, Tensor, PixelSize, LinearProportionalLeap, Consumer)} with the generator z0 was drawn
     * from ({@code torch.manual_seed(seed); z0 = torch.randn(...)}, here {@code noise.next(shape)}), whose stream
     * continues as the reference's per-step {@code torch.randn_like(z)}: one draw per step, used only when a frame
     * comes out of the mask (see the class comment). Null: no draws, and such a frame gets no fresh noise.
     */
    public Result sample(Denoiser model, Tensor z0, TorchNoise noise, PixelSize size, LinearProportionalLeap lpl,
            Consumer<SamplerStep> listener) {
        if (z0.rank() != 5) {
            throw new IllegalArgumentException("latent must be [B, C, T, H, W], got " + z0);
        }
        float[] ts = schedule(size);
        int n = ts.length;
        int channels = z0.dim(1);
        int frames = z0.dim(2);
        Tensor z = z0.copy();
        // the reference's noise_added: every frame of the default (all-ones) mask counts as noised from the start
        boolean[] noised = new boolean[frames];
        Arrays.fill(noised, true);
        for (int i = 0; i < n; i++) {
            float t = ts[i];
            boolean[] mask = Timesteps.frameMask(frames, t, config.numTimesteps());
            Tensor fresh = noise == null ? null : noise.next(z.shape());
            if (fresh != null) {
                addNoise(z, fresh, t, mask, noised, config.numTimesteps());
            }
            noised = mask;
            Tensor out = model.predict(Guidance.doubled(z), t, mask, i);
            Tensor v = Guidance.combine(out, channels, config.cfgScale());
            boolean leap = lpl != null && lpl.observe(v, i);
            float cos = lpl == null ? Float.NaN : lpl.lastCos();
            boolean every = allTrue(mask);
            Tensor before = listener == null && every ? null : z.copy();
            // Euler step; dt = t_i − t_{i+1}, or t_i itself at the last step and on a leap (straight to t = 0)
            float dt = (leap || i == n - 1 ? t : t - ts[i + 1]) / config.numTimesteps();
            euler(z, v, dt);
            if (!every) {
                // the reference then keeps z only where x_mask holds: z = torch.where(mask_t_upper, z, x0), x0 being
                // z before the step; a frame whose mask is false (every frame, when the transform rounds t above
                // num_timesteps) leaves the step as it entered it
                restoreFrames(z, before, mask);
            }
            if (listener != null) {
                listener.accept(new SamplerStep(i, n, t, mask, before, out, v, cos, leap));
            }
            if (leap) {
                return new Result(z, Arrays.copyOf(ts, i + 1), i);
            }
        }
        return new Result(z, ts, -1);
    }

    /**
     * The reference's {@code x_noise = add_noise(z, randn_like(z), t)} taken where {@code mask & ~noise_added}: a frame
     * masked at the previous step (t above num_timesteps) and unmasked now becomes tp·z + (1 − tp)·noise with
     * tp = 1 − t / num_timesteps, in float32 as torch rounds each operation.
     */
    static void addNoise(Tensor z, Tensor fresh, float t, boolean[] mask, boolean[] noised, int numTimesteps) {
        int frames = mask.length;
        int plane = z.size() / (z.dim(0) * z.dim(1) * frames);
        float tp = 1f - t / numTimesteps;
        float rest = 1f - tp;
        for (int bc = 0; bc < z.dim(0) * z.dim(1); bc++) {
            for (int f = 0; f < frames; f++) {
                if (mask[f] && !noised[f]) {
                    int at = (bc * frames + f) * plane;
                    for (int j = 0; j < plane; j++) {
                        float a = tp * z.data()[z.offset() + at + j];
                        float b = rest * fresh.data()[fresh.offset() + at + j];
                        z.data()[z.offset() + at + j] = a + b;
                    }
                }
            }
        }
    }

    private static boolean allTrue(boolean[] mask) {
        for (boolean m : mask) {
            if (!m) {
                return false;
            }
        }
        return true;
    }

    /** z[B, C, T, H, W]: every frame t whose mask is false takes x0's values back. */
    static void restoreFrames(Tensor z, Tensor x0, boolean[] mask) {
        int frames = mask.length;
        int plane = z.size() / (z.dim(0) * z.dim(1) * frames);
        for (int bc = 0; bc < z.dim(0) * z.dim(1); bc++) {
            for (int t = 0; t < frames; t++) {
                if (!mask[t]) {
                    int at = (bc * frames + t) * plane;
                    System.arraycopy(x0.data(), x0.offset() + at, z.data(), z.offset() + at, plane);
                }
            }
        }
    }

    /** z += v·dt, in float32 (the product rounded before the sum, as torch does). */
    static void euler(Tensor z, Tensor v, float dt) {
        float[] zd = z.data();
        float[] vd = v.data();
        int zo = z.offset();
        int vo = v.offset();
        for (int j = 0; j < z.size(); j++) {
            zd[zo + j] = zd[zo + j] + vd[vo + j] * dt;
        }
    }
}
