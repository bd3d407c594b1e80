package jsora.cli.video;

/**
 * RGB to YCbCr per ITU-R BT.601, limited ("TV") range: Y in 16..235, Cb and Cr in 16..240, in integer arithmetic
 * with 8 fractional bits (the usual coefficients ×256, rounded).
 */
final class Bt601 {
    private Bt601() {
    }

    static int luma(int r, int g, int b) {
        return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    }

    /** Cb of the mean of {@code n} pixels whose channel sums are r, g, b. */
    static int cb(int r, int g, int b, int n) {
        return Math.floorDiv(-38 * r - 74 * g + 112 * b + 128 * n, 256 * n) + 128;
    }

    static int cr(int r, int g, int b, int n) {
        return Math.floorDiv(112 * r - 94 * g - 18 * b + 128 * n, 256 * n) + 128;
    }
}
