package jsora.models.image;

/**
 * Pillow's {@code Image.resize(size, Image.BICUBIC)} on 8-bit images, bit for bit (libImaging/Resample.c): separable,
 * the horizontal pass first (only if the width changes) with its result rounded to 8 bits, then the vertical pass
 * (only if the height changes). Each output sample is a window of inputs weighted by the Keys cubic (a = −0.5),
 * widened by the scale when shrinking (antialiasing), clipped at the edges and renormalised, in 22-bit fixed point.
 */
public final class PilResize {
    /** Bits of the fixed-point weights. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double A = -0.5;
    /** The Keys cubic is zero from |x| = 2 on. */
    private static final double SUPPORT = 2.0;

    private PilResize() {
    }

    /** src [h, w, channels] (samples 0..255, row-major, interleaved) resized to [outH, outW, channels]. */
    public static int[] resize(int[] src, int h, int w, int channels, int outH, int outW) {
        if (outH < 1 || outW < 1 || h < 1 || w < 1 || src.length != h * w * channels) {
            throw new IllegalArgumentException("resize: " + w + "x" + h + " image of " + src.length + " samples to "
                    + outW + "x" + outH);
        }
        int[] x = src;
        if (outW != w) {
            x = pass(x, h, w, channels, outW, true);
        }
        if (outH != h) {
            x = pass(x, h, outW, channels, outH, false);
        }
        return x == src ? src.clone() : x;
    }

    private static double cubic(double x) {
        double ax = Math.abs(x);
        if (ax < 1.0) {
            return ((A + 2.0) * ax - (A + 3.0)) * ax * ax + 1;
        }
        if (ax < 2.0) {
            return (((ax - 5) * ax + 8) * ax - 4) * A;
        }
        return 0.0;
    }

    /** One pass along width ({@code horizontal}) or height, {@code in} samples to {@code out}, of an h × w image. */
    private static int[] pass(int[] src, int h, int w, int channels, int out, boolean horizontal) {
        int in = horizontal ? w : h;
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int[] starts = new int[out];
        int[] sizes = new int[out];
        int[][] weights = new int[out][];
        for (int xx = 0; xx < out; xx++) {
            double center = (xx + 0.5) * scale;
            // C's (int) truncates toward zero; the window is clipped to the image, not padded
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), in) - xmin;
            double[] k = new double[xmax];
            double total = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = cubic((x + xmin - center + 0.5) / filterScale);
                total += k[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double v = total != 0 ? k[x] / total : 0;
                fixed[x] = (int) (v < 0 ? v * (1 << PRECISION_BITS) - 0.5 : v * (1 << PRECISION_BITS) + 0.5);
            }
            starts[xx] = xmin;
            sizes[xx] = xmax;
            weights[xx] = fixed;
        }
        int outW = horizontal ? out : w;
        int outH = horizontal ? h : out;
        int[] dst = new int[outH * outW * channels];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = horizontal ? x : y;
                for (int c = 0; c < channels; c++) {
                    long acc = half;
                    for (int t = 0; t < sizes[o]; t++) {
                        int sx = horizontal ? starts[o] + t : x;
                        int sy = horizontal ? y : starts[o] + t;
                        acc += (long) weights[o][t] * src[(sy * w + sx) * channels + c];
                    }
                    dst[(y * outW + x) * channels + c] = clip8(acc >> PRECISION_BITS);
                }
            }
        }
        return dst;
    }

    private static int clip8(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }
}
