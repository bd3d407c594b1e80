package jsora.models.pipeline;

/**
 * A decoded video as 8-bit RGB: {@code rgb} holds {@code frames × height × width × 3} bytes, frame-major, rows top to
 * bottom, pixels left to right, channels R, G, B (the [F, H, W, 3] uint8 array Open-Sora hands to its video writer).
 */
public record Video(int frames, int height, int width, int fps, byte[] rgb) {
    public Video {
        if (frames < 1 || height < 1 || width < 1 || fps < 1) {
            throw new IllegalArgumentException("video must have positive frames, size and fps, got " + frames + " x "
                    + height + "x" + width + " at " + fps + " fps");
        }
        if (rgb.length != (long) frames * height * width * 3) {
            throw new IllegalArgumentException("video of " + frames + " x " + height + "x" + width + " needs "
                    + ((long) frames * height * width * 3) + " bytes, got " + rgb.length);
        }
    }

    public int frameBytes() {
        return height * width * 3;
    }

    /** Red, green or blue (c = 0, 1, 2) of pixel (y, x) of frame f, 0..255. */
    public int sample(int f, int y, int x, int c) {
        return rgb[((f * height + y) * width + x) * 3 + c] & 0xff;
    }
}
