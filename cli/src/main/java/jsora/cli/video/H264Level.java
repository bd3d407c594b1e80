package jsora.cli.video;

/**
 * The H.264 level a stream must signal (ITU-T H.264 Annex A, Table A-1, and the limits of A.3.1 common to the
 * Baseline and Main profiles): the lowest level whose frame size, macroblock rate, bit rate and minimum compression
 * ratio the video keeps. A decoder may refuse a stream above the level it claims, so the level is computed from the
 * real frame sizes, after encoding.
 */
final class H264Level {
    private H264Level() {
    }

    /**
     * Table A-1 rows: level_idc, MaxMBPS (macroblocks/s), MaxFS (macroblocks), MaxBR and MaxCPB (units of 1000 bits
     * of VCL; a NAL stream of Baseline or Main gets 1200), MinCR. Level 1b is left out (it needs constraint_set3).
     */
    private static final int[][] LEVELS = {
        {10, 1485, 99, 64, 175, 2},
        {11, 3000, 396, 192, 500, 2},
        {12, 6000, 396, 384, 1000, 2},
        {13, 11880, 396, 768, 2000, 2},
        {20, 11880, 396, 2000, 2000, 2},
        {21, 19800, 792, 4000, 4000, 2},
        {22, 20250, 1620, 4000, 4000, 2},
        {30, 40500, 1620, 10000, 10000, 2},
        {31, 108000, 3600, 14000, 14000, 4},
        {32, 216000, 5120, 20000, 20000, 4},
        {40, 245760, 8192, 20000, 25000, 4},
        {41, 245760, 8192, 50000, 62500, 2},
        {42, 522240, 8704, 50000, 62500, 2},
        {50, 589824, 22080, 135000, 135000, 2},
        {51, 983040, 36864, 240000, 240000, 2},
        {52, 2073600, 36864, 240000, 240000, 2},
        {60, 4177920, 139264, 240000, 240000, 2},
        {61, 8355840, 139264, 480000, 480000, 2},
        {62, 16711680, 139264, 800000, 800000, 2},
    };

    /** cpbBrNalFactor of Table A-2 for Baseline and Main: bits of NAL stream per unit of MaxBR and MaxCPB. */
    private static final long NAL_FACTOR = 1200;

    /**
     * The level of a {@code width × height} video at {@code fps} whose access units take {@code bytes[f]} bytes each.
     * Bit rate: every second of frames (any {@code fps} consecutive ones) fits in MaxBR, and every frame in MaxCPB, a
     * sufficient form of the hypothetical reference decoder's bounds for a buffer filled at MaxBR. Compression: an
     * access unit takes at most 384 bytes (a raw 4:2:0 macroblock) per macroblock the level decodes in a frame time,
     * divided by MinCR (A.3.1; held for the first access unit too, which the standard allows a little more).
     */
    static int of(int width, int height, int fps, long[] bytes) {
        long mbW = (width + 15) / 16;
        long mbH = (height + 15) / 16;
        long mbs = mbW * mbH;
        long peakSecond = 0;
        long peakFrame = 0;
        long window = 0;
        for (int f = 0; f < bytes.length; f++) {
            window += bytes[f] - (f >= fps ? bytes[f - fps] : 0);
            peakSecond = Math.max(peakSecond, window * 8);
            peakFrame = Math.max(peakFrame, bytes[f]);
        }
        for (int[] l : LEVELS) {
            long maxMbps = l[1];
            long maxFs = l[2];
            boolean size = mbs <= maxFs && mbW * mbW <= 8 * maxFs && mbH * mbH <= 8 * maxFs;
            boolean rate = mbs * fps <= maxMbps;
            boolean bits = peakSecond <= l[3] * NAL_FACTOR && peakFrame * 8 <= l[4] * NAL_FACTOR;
            boolean ratio = peakFrame * l[5] * fps <= 384 * maxMbps;
            if (size && rate && bits && ratio) {
                return l[0];
            }
        }
        long rate = peakSecond * fps / Math.max(1, Math.min(fps, bytes.length)); // a clip under a second, per second
        throw new IllegalArgumentException(width + "x" + height + " at " + fps + " fps and " + rate / 1_000_000
                + " Mbit/s exceeds every H.264 level (at most 800 Mbit/s): use a smaller size, a lower --fps or drop "
                + "--lossless");
    }
}
