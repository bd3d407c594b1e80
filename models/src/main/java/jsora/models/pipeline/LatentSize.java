package jsora.models.pipeline;

import jsora.models.sampler.PixelSize;

/**
 * The latent shape the Open-Sora VAE v1.2 gives a video ({@code VideoAutoencoderPipeline.get_latent_size} with
 * micro_frame_size 17): 5 latent frames per full 17-frame chunk plus {@code ceil(rest / 4)} for the rest (causal
 * temporal padding), and H/8 × W/8 spatially.
 */
public final class LatentSize {
    public static final int CHANNELS = 4;

    private LatentSize() {
    }

    /** {T, H, W} of the latent for a video of this size. */
    public static int[] of(PixelSize s) {
        int rest = s.frames() % 17;
        int t = s.frames() / 17 * 5 + (rest + 3) / 4;
        return new int[] {t, s.height() / 8, s.width() / 8};
    }
}
