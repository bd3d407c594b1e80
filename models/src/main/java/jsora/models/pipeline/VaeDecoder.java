package jsora.models.pipeline;

import jsora.models.vae.VideoAutoencoderPipeline;
import jsora.tensor.Tensor;

/** The Open-Sora VAE v1.2 as the pipeline's decoder stage: {@code vae.decode(z, num_frames)}. */
public final class VaeDecoder implements Stages.VideoDecoder {
    private final VideoAutoencoderPipeline vae;

    public VaeDecoder(VideoAutoencoderPipeline vae) {
        this.vae = vae;
    }

    @Override
    public Tensor decode(Tensor z, int frames) {
        return vae.decode(z, frames);
    }
}
