package jsora.models.pipeline;

import jsora.tensor.Tensor;

/**
 * Turns the VAE's output into 8-bit frames as Open-Sora's {@code save_sample} does ({@code opensora/datasets/utils.py},
 * normalize with value range (-1, 1)): clamp to [-1, 1], map to [0, 1] by (x + 1) / 2, then
 * {@code uint8(clamp(x·255 + 0.5, 0, 255))} (truncation after adding 0.5 = rounding half up), in float32 and that order.
 */
public final class FrameQuantizer {
    private FrameQuantizer() {
    }

    /** One channel value in [-1, 1] (values outside are clamped) to 0..255. */
    public static int toByte(float x) {
        float v = Math.min(Math.max(x, -1f), 1f);
        v = (v + 1f) / 2f;
        v = v * 255f + 0.5f;
        return (int) Math.min(Math.max(v, 0f), 255f);
    }

    /** {@code video} [1, 3, F, H, W] (one sample of the VAE decode) to RGB frames. */
    public static Video toVideo(Tensor video, int fps) {
        if (video.rank() != 5 || video.dim(0) != 1 || video.dim(1) != 3) {
            throw new IllegalArgumentException("decoded video must be [1, 3, F, H, W], got " + video);
        }
        int f = video.dim(2);
        int h = video.dim(3);
        int w = video.dim(4);
        int plane = f * h * w;
        byte[] rgb = new byte[plane * 3];
        float[] d = video.data();
        int off = video.offset();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                rgb[i * 3 + c] = (byte) toByte(d[off + c * plane + i]);
            }
        }
        return new Video(f, h, w, fps, rgb);
    }
}
