package jsora.models.vae;

import jsora.tensor.Tensor;

/** Decoded video → 8-bit RGB frames, as Open-Sora's save_sample converts them. */
public final class VideoFrames {
    private VideoFrames() {
    }

    /**
     * Sample {@code b} of video [B, 3, T, H, W] as bytes [T, H, W, 3]: clamp to [−1, 1], map to [0, 1], then
     * ·255 + 0.5, clamp to [0, 255] and truncate (float32 arithmetic, like the reference's in-place torch ops).
     */
    public static byte[] toUint8(Tensor video, int b) {
        int c = video.dim(1);
        int t = video.dim(2);
        int h = video.dim(3);
        int w = video.dim(4);
        byte[] out = new byte[t * h * w * c];
        float[] v = video.data();
        for (int ch = 0; ch < c; ch++) {
            for (int f = 0; f < t; f++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float p = v[video.offset() + ((((b * c + ch) * t + f) * h + y) * w + x)];
                        p = Math.max(-1f, Math.min(1f, p));
                        p = (p + 1f) / 2f;
                        p = Math.max(0f, Math.min(255f, p * 255f + 0.5f));
                        out[((f * h + y) * w + x) * c + ch] = (byte) (int) p;
                    }
                }
            }
        }
        return out;
    }
}
