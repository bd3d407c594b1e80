package jsora.models.vae;

import jsora.tensor.Tensor;

/**
 * The VAE posterior N(mean, std²) from the moments a VAE encoder outputs (Open-Sora utils.py and diffusers'
 * DiagonalGaussianDistribution): moments [N, 2C, *] split along channels into mean and log-variance, the log-variance
 * clamped to [−30, 20], std = exp(logvar / 2).
 */
public final class DiagonalGaussian {
    private final Tensor mean;
    private final Tensor std;

    public DiagonalGaussian(Tensor moments) {
        int n = moments.dim(0);
        int c2 = moments.dim(1);
        if (c2 % 2 != 0) {
            throw new IllegalArgumentException("moments need an even channel count, got " + moments);
        }
        int[] shape = moments.shape();
        shape[1] = c2 / 2;
        mean = Tensor.zeros(shape);
        std = Tensor.zeros(shape);
        int inner = moments.size() / (n * c2);
        int half = c2 / 2 * inner;
        float[] m = moments.data();
        for (int b = 0; b < n; b++) {
            int src = moments.offset() + b * 2 * half;
            System.arraycopy(m, src, mean.data(), b * half, half);
            for (int i = 0; i < half; i++) {
                float logvar = Math.max(-30f, Math.min(20f, m[src + half + i]));
                std.data()[b * half + i] = (float) Math.exp(0.5f * logvar);
            }
        }
    }

    public Tensor mean() {
        return mean;
    }

    public Tensor std() {
        return std;
    }

    /** mean + std · noise (noise of the mean's shape); with {@code noise == null}, the mode (a copy of the mean). */
    public Tensor sample(Tensor noise) {
        if (noise == null) {
            return mean.copy();
        }
        if (!noise.sameShape(mean)) {
            throw new IllegalArgumentException("posterior noise " + noise + " does not match the latent " + mean);
        }
        Tensor out = Tensor.zeros(mean.shape());
        for (int i = 0; i < out.size(); i++) {
            out.data()[i] = mean.data()[i] + std.data()[i] * noise.data()[noise.offset() + i];
        }
        return out;
    }
}
