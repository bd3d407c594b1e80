package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jsora.models.pipeline.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed and lossless MP4s as FFmpeg decodes them (frames, size, rate, level, closeness to the input), and the
 * header fields a player relies on (issue 16).
 */
class Mp4CompressionTest {
    @TempDir
    Path dir;

    /**
     * A smooth synthetic video: a colour gradient drifting a pixel per frame, and a 12×12 square with a soft edge
     * bouncing 2 pixels across and 1 down per frame.
     */
    static Video movingSquare(int frames, int h, int w) {
        byte[] rgb = new byte[frames * h * w * 3];
        for (int f = 0; f < frames; f++) {
            double sx = 2 + bounce(2 * f, w - 16);
            double sy = 2 + bounce(f, h - 16);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double r = 40 + 160.0 * (x + f) / (w + frames);
                    double g = 30 + 180.0 * y / h;
                    double b = 200 - 120.0 * (x + y) / (w + h);
                    // 1 inside the square, 0 outside, a linear ramp over the 2 pixels of its edge
                    double in = Math.min(clamp01((x - sx + 1) / 2), clamp01((sx + 12 - x) / 2))
                            * Math.min(clamp01((y - sy + 1) / 2), clamp01((sy + 12 - y) / 2));
                    int o = ((f * h + y) * w + x) * 3;
                    rgb[o] = (byte) Math.round(r + in * (235 - r));
                    rgb[o + 1] = (byte) Math.round(g + in * (220 - g));
                    rgb[o + 2] = (byte) Math.round(b * (1 - in));
                }
            }
        }
        return new Video(frames, h, w, 24, rgb);
    }

    /** t reflected into 0..range (a triangle wave). */
    private static int bounce(int t, int range) {
        int m = t % (2 * range);
        return m <= range ? m : 2 * range - m;
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    @Test
    void compressedIsATenthOfLosslessWithinThreeDecibelsOfItsRoundTrip() throws IOException {
        Ffmpeg.assume();
        // 60 frames: two GOPs; 72x40: padded to 80x48 and cropped
        for (int[] s : new int[][] {{64, 64, 60}, {40, 72, 34}}) {
            Path sub = Files.createDirectory(dir.resolve("w" + s[1]));
            Mp4Check.Comparison c = Mp4Check.compareWithLossless(movingSquare(s[2], s[0], s[1]), sub);
            assertTrue(c.bytes() * 10 <= c.losslessBytes(), c.toString());
            assertTrue(c.psnr() >= c.roundTripPsnr() - 3, c.toString());
        }
    }

    @Test
    void losslessDecodesToExactlyTheFourTwoZeroSamples() throws IOException {
        Ffmpeg.assume();
        Video v = movingSquare(5, 40, 72);
        Path mp4 = dir.resolve("exact.mp4");
        Mp4Writer.write(v, mp4, Mp4Check.LOSSLESS);
        byte[] decoded = Ffmpeg.decode(mp4, "yuv420p");
        int w = v.width();
        int h = v.height();
        byte[] expected = new byte[v.frames() * w * h * 3 / 2];
        int at = 0;
        for (int f = 0; f < v.frames(); f++) {
            Yuv420 p = Yuv420.of(v.rgb(), f * v.frameBytes(), w, h);
            for (int y = 0; y < h; y++, at += w) {
                System.arraycopy(p.y, y * p.width, expected, at, w);
            }
            for (byte[] plane : new byte[][] {p.cb, p.cr}) {
                for (int y = 0; y < h / 2; y++, at += w / 2) {
                    System.arraycopy(plane, y * p.width / 2, expected, at, w / 2);
                }
            }
        }
        assertArrayEquals(expected, decoded, "FFmpeg's decode of --lossless is the 4:2:0 samples, bit for bit");
    }

    @Test
    void theHeaderSaysWhatAPlayerNeeds() throws IOException {
        Video v = movingSquare(60, 64, 64);
        Path mp4 = dir.resolve("h.mp4");
        Mp4Writer.write(v, mp4, H264Settings.DEFAULT);
        Mp4Reader r = Mp4Reader.read(mp4); // moov before mdat
        assertEquals(0, r.creationTime, "no wall-clock time");
        assertEquals(66, r.avcProfile);
        assertEquals(0xC0, r.avcCompatibility, "Constrained Baseline");
        assertEquals(0, r.fullRange, "VUI: limited range");
        assertEquals(6, r.matrixCoefficients, "VUI: BT.601");
        assertEquals(24, r.timescale / r.sampleDelta, "fps");
        assertEquals(List.of(1, 49), r.syncSamples, "an IDR frame every 2 s");
        long[] sizes = r.samples.stream().mapToLong(s -> s.length).toArray();
        assertEquals(H264Level.of(64, 64, 24, sizes), r.spsLevel);
        assertEquals(10, r.spsLevel, "16 macroblocks at 24 fps and a few kbit/s: level 1");
        if (Ffmpeg.available()) {
            Map<String, String> p = Ffmpeg.probe(mp4);
            assertEquals("Constrained Baseline", p.get("profile"), p.toString());
            assertEquals("10", p.get("level"), p.toString());
            assertEquals("tv", p.get("color_range"), p.toString());
        }
        Path lossless = dir.resolve("l.mp4");
        Mp4Writer.write(v, lossless, Mp4Check.LOSSLESS);
        assertEquals(20, Mp4Reader.read(lossless).spsLevel, "1.2 Mbit/s of I_PCM: level 2");
    }

    private static long[] frames(int n, long bytes) {
        long[] b = new long[n];
        Arrays.fill(b, bytes);
        return b;
    }

    @Test
    void levelsFollowTableA1() {
        assertEquals(10, H264Level.of(64, 64, 24, frames(17, 300)));
        // 1.19 Mbit/s: level 1.3 carries 0.92 (768 kbit/s x 1.2 for a NAL stream), level 2 carries 2.4
        assertEquals(20, H264Level.of(64, 64, 24, frames(24, 6200)));
        // 256 macroblocks x 24 fps = 6144/s: above level 1.2's 6000
        assertEquals(13, H264Level.of(256, 256, 24, frames(68, 2000)));
        assertEquals(40, H264Level.of(1920, 1080, 24, frames(51, 50_000)));
        assertEquals(42, H264Level.of(1920, 1080, 60, frames(51, 50_000)), "489,600 macroblocks/s");
        // 720p I_PCM: 1.39 MB a frame, 267 Mbit/s at 24 fps (level 5.1: 288), 334 at 30 (level 6.1: 576)
        assertEquals(51, H264Level.of(1280, 720, 24, frames(51, 1_390_000)));
        assertEquals(61, H264Level.of(1280, 720, 30, frames(51, 1_390_000)));
        // a frame wider than sqrt(8 MaxFS) macroblocks needs a higher level than its area does
        assertEquals(22, H264Level.of(1600, 16, 24, frames(2, 100)), "100 macroblocks wide: above sqrt(8 MaxFS) "
                + "up to level 2.1, where the area alone would be level 1.1");
        assertThrows(IllegalArgumentException.class, () -> H264Level.of(3840, 2160, 24, frames(51, 12_500_000)));
        // checked before any model work: 720p --lossless fits, 4K does not
        Mp4Writer.checkLevel(1280, 720, 51, 24, Mp4Check.LOSSLESS);
        Mp4Writer.checkLevel(3840, 2160, 51, 24, H264Settings.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> Mp4Writer.checkLevel(3840, 2160, 51, 24, Mp4Check.LOSSLESS));
    }

    @Test
    void theFinestQuantiserOnNoiseStaysWithinJCodecsFrameBuffer() throws IOException {
        Ffmpeg.assume();
        Video v = VideoWritersTest.blocks(3, 32, 48, 5000, 9);
        H264Compressor c = new H264Compressor(48, 32, H264Compressor.MIN_QP, 48);
        Path raw = dir.resolve("noise.h264");
        try (java.io.OutputStream out = Files.newOutputStream(raw)) {
            for (int f = 0; f < v.frames(); f++) {
                out.write(c.encode(Yuv420.of(v.rgb(), f * v.frameBytes(), 48, 32)));
            }
        }
        byte[] rgb = Ffmpeg.decodeRgb(raw);
        assertEquals(v.rgb().length, rgb.length);
        // 2x2 blocks of random colours: 4:2:0 keeps them but for rounding, and QP 12 is fine
        assertTrue(Ffmpeg.psnr(v.rgb(), rgb) > 35, "PSNR " + Ffmpeg.psnr(v.rgb(), rgb));
    }

    @Test
    void chromaOffsetGivesTheDecoderJCodecsChromaQp() {
        for (int qp = H264Compressor.MIN_QP; qp <= 29; qp++) {
            assertEquals(0, H264Compressor.chromaOffset(qp));
        }
        assertEquals(1, H264Compressor.chromaOffset(30)); // Table 8-15: chroma QP 30 at qPI 31
        assertEquals(9, H264Compressor.chromaOffset(39)); // chroma QP 39 at qPI 48
    }
}
