package jsora.models.vae;

import jsora.models.Taps;
import jsora.tensor.Tensor;
import jsora.tensor.kernels.Elementwise;

/**
 * Open-Sora's VideoAutoencoderKL: the image VAE applied to every frame of a video [B, C, T, H, W], micro_batch_size
 * frames at a time (which bounds memory and does not change the result), with the hard-coded latent factor 0.18215:
 * encode gives sample·0.18215, decode takes z/0.18215.
 */
public final class VideoAutoencoderKL {
    private final AutoencoderKL module;
    private final int microBatchSize;
    private final int latentChannels;
    private final int outChannels;

    public VideoAutoencoderKL(AutoencoderKL module, VaeConfig.Spatial c, int microBatchSize) {
        this.module = module;
        this.microBatchSize = microBatchSize;
        this.latentChannels = c.latentChannels();
        this.outChannels = c.outChannels();
    }

    public AutoencoderKL module() {
        return module;
    }

    /** z[B, latent, T, h, w] → video [B, C, T, 8h, 8w]. */
    public Tensor decode(Tensor z) {
        int frames = z.dim(0) * z.dim(2);
        Tensor out = null;
        for (int f = 0; f < frames; f += microBatchSize) {
            Tensor batch = TimeAxis.frames(z, f, Math.min(frames, f + microBatchSize));
            float[] v = batch.data();
            for (int i = 0; i < v.length; i++) {
                v[i] /= VaeConfig.SPATIAL_SCALING;
            }
            Tensor y = module.decode(batch, Taps.NONE);
            if (out == null) {
                out = Tensor.zeros(z.dim(0), outChannels, z.dim(2), y.dim(2), y.dim(3));
            }
            TimeAxis.putFrames(out, f, y);
        }
        return out;
    }

    /**
     * Video x[B, C, T, H, W] → latents [B, latent, T, H/8, W/8] = (mean + std·noise)·0.18215, with noise
     * [B·T, latent, H/8, W/8] over the frames in (B T) order, or null for the posterior mean.
     */
    public Tensor encode(Tensor x, Tensor noise) {
        int frames = x.dim(0) * x.dim(2);
        Tensor out = null;
        for (int f = 0; f < frames; f += microBatchSize) {
            int to = Math.min(frames, f + microBatchSize);
            DiagonalGaussian posterior = module.encode(TimeAxis.frames(x, f, to));
            Tensor y = posterior.sample(noise == null ? null : noise.slice(f, to));
            Elementwise.scale(y, VaeConfig.SPATIAL_SCALING, y);
            if (out == null) {
                out = Tensor.zeros(x.dim(0), latentChannels, x.dim(2), y.dim(2), y.dim(3));
            }
            TimeAxis.putFrames(out, f, y);
        }
        return out;
    }
}
