package jsora.models.pipeline;

import jsora.models.sampler.PixelSize;
import jsora.models.vae.VaeConfig;

/**
 * The latent shape the Open-Sora VAE v1.2 gives a video ({@code VideoAutoencoderPipeline.get_latent_size}, computed
 * by its {@link VaeConfig}): with micro_frame_size 17, 5 latent frames per full 17-frame chunk plus
 * {@code ceil(rest / 4)} for the rest (causal temporal padding), and ⌊H/8⌋ × ⌊W/8⌋ spatially. The reference floors a
 * side that is no multiple of 8, so the decoded video is 8·⌊H/8⌋ × 8·⌊W/8⌋ (240×426 comes out 240×424); STDiT3 pads
 * an odd latent side to its 2×2 patches.
 */
public final class LatentSize {
    private static final VaeConfig VAE = VaeConfig.openSoraV12();
    public static final int CHANNELS = VAE.spatial().latentChannels();
    /** Pixels per latent pixel along height and width: also the smallest side that has a latent. */
    public static final int SPATIAL_FACTOR = 8;

    private LatentSize() {
    }

    /** {T, H, W} of the latent for a video of this size. */
    public static int[] of(PixelSize s) {
        return new int[] {VAE.latentFrames(s.frames()), s.height() / SPATIAL_FACTOR, s.width() / SPATIAL_FACTOR};
    }

    /** The size of the video the VAE decodes for a request of {@code s}: each side floored to a multiple of 8. */
    public static PixelSize decoded(PixelSize s) {
        return new PixelSize(s.height() / SPATIAL_FACTOR * SPATIAL_FACTOR, s.width() / SPATIAL_FACTOR * SPATIAL_FACTOR,
                s.frames());
    }
}
