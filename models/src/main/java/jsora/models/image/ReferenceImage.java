package jsora.models.image;

import jsora.tensor.Tensor;

/**
 * A reference image as Open-Sora v1.2's inference reads it for image-to-video ({@code read_from_path(path,
 * image_size, transform_name="resize_crop")} in {@code opensora/datasets/utils.py}): RGB (an alpha channel is
 * dropped, not composited), resized by Pillow's bicubic filter to cover the target and centre-cropped to it
 * ({@code resize_crop_to_fill}), then {@code ToTensor} and {@code Normalize(0.5, 0.5)}: a [3, 1, H, W] tensor in
 * [−1, 1], one frame.
 */
public final class ReferenceImage {
    private ReferenceImage() {
    }

    /** The resized and cropped image [th, tw, 3] of rgb [h, w, 3] (samples 0..255). */
    public static int[] resizeCropToFill(int[] rgb, int h, int w, int th, int tw) {
        double rh = (double) th / h;
        double rw = (double) tw / w;
        int sh;
        int sw;
        int top;
        int left;
        if (rh > rw) {
            sh = th;
            sw = (int) Math.rint(w * rh);
            top = 0;
            left = (int) Math.rint((sw - tw) / 2.0);
        } else {
            // a tie (rh == rw) takes this branch, as in the reference
            sh = (int) Math.rint(h * rw);
            sw = tw;
            top = (int) Math.rint((sh - th) / 2.0);
            left = 0;
        }
        int[] resized = PilResize.resize(rgb, h, w, 3, sh, sw);
        int[] out = new int[th * tw * 3];
        for (int y = 0; y < th; y++) {
            System.arraycopy(resized, ((top + y) * sw + left) * 3, out, y * tw * 3, tw * 3);
        }
        return out;
    }

    /**
     * {@code ToTensor} then {@code Normalize(mean 0.5, std 0.5)}: [3, 1, H, W] with (u8 / 255 − 0.5) / 0.5 in
     * float32, rounded as torch rounds each step (not u8 / 127.5 − 1, which can differ by an ulp).
     */
    public static Tensor normalize(int[] rgb, int h, int w) {
        Tensor t = Tensor.zeros(3, 1, h, w);
        float[] d = t.data();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < h * w; i++) {
                float v = rgb[i * 3 + c] / 255f;
                d[c * h * w + i] = (v - 0.5f) / 0.5f;
            }
        }
        return t;
    }

    /** The whole path: rgb [h, w, 3] to the [3, 1, th, tw] tensor the VAE encodes. */
    public static Tensor of(int[] rgb, int h, int w, int th, int tw) {
        return normalize(resizeCropToFill(rgb, h, w, th, tw), th, tw);
    }
}
