package jsora.cli.video;

/**
 * One RGB frame as H.264 sees it: BT.601 limited-range ({@link Bt601}) 4:2:0 planes, each chroma sample the mean of
 * a 2×2 block, padded to whole 16×16 macroblocks by edge replication (the SPS crops the padding away again).
 */
final class Yuv420 {
    /** Padded width and height: multiples of 16. */
    final int width;
    final int height;
    /** {@code height × width} luma, then the two {@code height/2 × width/2} chroma planes; unsigned bytes. */
    final byte[] y;
    final byte[] cb;
    final byte[] cr;

    private Yuv420(int width, int height) {
        this.width = width;
        this.height = height;
        y = new byte[width * height];
        cb = new byte[width * height / 4];
        cr = new byte[width * height / 4];
    }

    /** The {@code frameH × frameW × 3} RGB bytes at {@code offset}; the sides must be even. */
    static Yuv420 of(byte[] rgb, int offset, int frameW, int frameH) {
        if (frameW < 2 || frameH < 2 || frameW % 2 != 0 || frameH % 2 != 0) {
            throw new IllegalArgumentException("H.264 4:2:0 needs an even width and height, got " + frameW + "x"
                    + frameH);
        }
        Yuv420 p = new Yuv420((frameW + 15) / 16 * 16, (frameH + 15) / 16 * 16);
        for (int j = 0; j < p.height; j++) {
            for (int i = 0; i < p.width; i++) {
                int c = pixel(rgb, offset, frameW, frameH, i, j);
                p.y[j * p.width + i] = (byte) Bt601.luma(c >> 16 & 0xff, c >> 8 & 0xff, c & 0xff);
            }
        }
        int cw = p.width / 2;
        for (int j = 0; j < p.height / 2; j++) {
            for (int i = 0; i < cw; i++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int k = 0; k < 4; k++) {
                    int c = pixel(rgb, offset, frameW, frameH, 2 * i + (k & 1), 2 * j + (k >> 1));
                    r += c >> 16 & 0xff;
                    g += c >> 8 & 0xff;
                    b += c & 0xff;
                }
                p.cb[j * cw + i] = (byte) Bt601.cb(r, g, b, 4);
                p.cr[j * cw + i] = (byte) Bt601.cr(r, g, b, 4);
            }
        }
        return p;
    }

    /** Packed 0xRRGGBB of (x, y), clamped to the frame (edge replication into the padding). */
    private static int pixel(byte[] rgb, int offset, int w, int h, int x, int y) {
        int i = offset + (Math.min(y, h - 1) * w + Math.min(x, w - 1)) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }
}
