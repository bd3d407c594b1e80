package jsora.models.pipeline;

import jsora.models.vae.VideoFrames;
import jsora.tensor.Tensor;

/** The VAE's decoded video [1, 3, F, H, W] as 8-bit RGB frames ({@link VideoFrames}: Open-Sora's save_sample). */
public final class FrameQuantizer {
    private FrameQuantizer() {
    }

    public static Video toVideo(Tensor video, int fps) {
        if (video.rank() != 5 || video.dim(0) != 1 || video.dim(1) != 3) {
            throw new IllegalArgumentException("decoded video must be [1, 3, F, H, W], got " + video);
        }
        return new Video(video.dim(2), video.dim(3), video.dim(4), fps, VideoFrames.toUint8(video, 0));
    }
}
