package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import jsora.models.pipeline.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoWritersTest {
    @TempDir
    Path dir;

    /** Frames of 2×2 blocks of random colours (so 4:2:0 chroma loses nothing), at most {@code colors} colours. */
    static Video blocks(int frames, int h, int w, int colors, long seed) {
        Random rnd = new Random(seed);
        int[] palette = new int[colors];
        for (int i = 0; i < colors; i++) {
            palette[i] = rnd.nextInt(1 << 24);
        }
        byte[] rgb = new byte[frames * h * w * 3];
        for (int f = 0; f < frames; f++) {
            for (int by = 0; by < h; by += 2) {
                for (int bx = 0; bx < w; bx += 2) {
                    int c = palette[rnd.nextInt(colors)];
                    for (int k = 0; k < 4; k++) {
                        int o = ((f * h + by + k / 2) * w + bx + k % 2) * 3;
                        rgb[o] = (byte) (c >> 16);
                        rgb[o + 1] = (byte) (c >> 8);
                        rgb[o + 2] = (byte) c;
                    }
                }
            }
        }
        return new Video(frames, h, w, 24, rgb);
    }

    @Test
    void losslessMp4DecodesBackToTheFramesAtEverySize() throws IOException {
        for (int[] size : new int[][] {{32, 48}, {24, 40}, {18, 2}}) {
            Video v = blocks(3, size[0], size[1], 1000, size[0]);
            Path out = dir.resolve("v" + size[1] + ".mp4");
            Mp4Writer.write(v, out, Mp4Check.LOSSLESS);
            Mp4Reader r = Mp4Reader.read(out);
            assertEquals(size[1], r.width);
            assertEquals(size[0], r.height);
            assertEquals(3, r.samples.size());
            assertEquals(24, r.timescale, "a tick per frame");
            assertEquals(1, r.sampleDelta);
            assertEquals(size[1], r.spsWidth);
            assertEquals(size[0], r.spsHeight);
            for (byte[] sample : r.samples) {
                assertTrue(sample.length <= H264PcmEncoder.maxSampleBytes(size[1], size[0]), sample.length + " bytes");
            }
            for (int f = 0; f < 3; f++) {
                byte[] rgb = r.decodeRgb(f);
                byte[] expected = new byte[v.frameBytes()];
                System.arraycopy(v.rgb(), f * v.frameBytes(), expected, 0, expected.length);
                // BT.601 limited range keeps 219 luma levels: round trips within a few levels
                Mp4Reader.assertNear(expected, rgb, 4, "frame " + f);
            }
        }
    }

    @Test
    void mp4RefusesOddSizes() {
        assertThrows(IllegalArgumentException.class, () -> Mp4Writer.write(new Video(1, 3, 5, 24, new byte[45]),
                dir.resolve("odd.mp4"), H264Settings.DEFAULT));
    }

    @Test
    void emulationPreventionEscapesStartCodePatterns() {
        assertArrayEquals(new byte[] {0x65, 0, 0, 3, 1, 0, 0, 3, 0, 5},
                H264PcmEncoder.nal(3, 5, new byte[] {0, 0, 1, 0, 0, 0, 5}));
    }

    @Test
    void gifWithFewColoursDecodesExactly() throws IOException {
        Video v = blocks(4, 20, 30, 200, 3);
        Path out = dir.resolve("a.gif");
        GifWriter.write(v, out);
        BufferedImage[] frames = readGif(out, 4);
        for (int f = 0; f < 4; f++) {
            assertArrayEquals(frameBytes(v, f), rgbOf(frames[f]), "frame " + f);
        }
    }

    @Test
    void gifWithManyColoursStaysClose() throws IOException {
        Video v = blocks(2, 64, 64, 5000, 4);
        Path out = dir.resolve("b.gif");
        GifWriter.write(v, out);
        BufferedImage[] frames = readGif(out, 2);
        double err = 0;
        for (int f = 0; f < 2; f++) {
            byte[] a = frameBytes(v, f);
            byte[] b = rgbOf(frames[f]);
            for (int i = 0; i < a.length; i++) {
                err += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            }
        }
        err /= 2.0 * v.frameBytes();
        assertTrue(err < 12, "mean channel error " + err);
    }

    @Test
    void pngFramesDecodeExactly() throws IOException {
        Video v = blocks(3, 16, 24, 5000, 5);
        Path out = dir.resolve("frames");
        VideoWriter.write(v, out, H264Settings.DEFAULT);
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(frameBytes(v, f), rgbOf(ImageIO.read(out.resolve(String.format("frame_%04d.png", f)).toFile())));
        }
    }

    @Test
    void writesAreAtomicAndRepeatable() throws IOException {
        Video v = blocks(2, 16, 16, 50, 6);
        Path mp4 = dir.resolve("same.mp4");
        Mp4Writer.write(v, mp4, H264Settings.DEFAULT);
        byte[] first = Files.readAllBytes(mp4);
        Mp4Writer.write(v, mp4, H264Settings.DEFAULT);
        assertArrayEquals(first, Files.readAllBytes(mp4), "same video, same bytes; replaced in place");
        if (Files.getFileStore(mp4).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(mp4)), "a new file is readable by others, like one made by cp");
        }
        assertThrows(NoSuchFileException.class, () -> GifWriter.write(v, dir.resolve("missing/x.gif")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void formatFollowsTheExtension() {
        assertEquals(VideoWriter.Format.MP4, VideoWriter.formatOf(Path.of("a/b.MP4")));
        assertEquals(VideoWriter.Format.GIF, VideoWriter.formatOf(Path.of("b.gif")));
        assertEquals(VideoWriter.Format.PNG_FRAMES, VideoWriter.formatOf(Path.of("frames")));
        assertThrows(IllegalArgumentException.class, () -> VideoWriter.formatOf(Path.of("x.avi")));
    }

    @Test
    void gifDelaysKeepTheFrameRate() {
        for (int fps = 1; fps <= GifWriter.MAX_FPS; fps++) {
            int[] d = GifWriter.delays(fps, 300);
            long sum = 0;
            for (int f = 0; f < d.length; f++) {
                assertTrue(d[f] >= 2, fps + " fps, frame " + f + ": delay " + d[f] + " (players show under 2 as 10)");
                sum += d[f];
                assertTrue(Math.abs(sum - 100.0 * (f + 1) / fps) <= 0.5, fps + " fps: frame " + f + " ends at " + sum);
            }
        }
        assertEquals(100, java.util.Arrays.stream(GifWriter.delays(24, 24)).sum(), "24 frames at 24 fps: one second");
        assertThrows(IllegalArgumentException.class, () -> GifWriter.delays(GifWriter.MAX_FPS + 1, 1));
    }

    static BufferedImage[] readGif(Path file, int expectedFrames) throws IOException {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("gif");
        ImageReader reader = it.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            assertEquals(expectedFrames, n, "GIF frames");
            BufferedImage[] out = new BufferedImage[n];
            for (int i = 0; i < n; i++) {
                out[i] = reader.read(i);
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
                // 24 fps: 4, 4, 5, 4, 4, 4, … hundredths (gifDelaysKeepTheFrameRate)
                assertEquals("" + GifWriter.delays(24, n)[i], gce.getAttribute("delayTime"), "frame " + i);
            }
            return out;
        } finally {
            reader.dispose();
        }
    }

    static byte[] frameBytes(Video v, int f) {
        byte[] b = new byte[v.frameBytes()];
        System.arraycopy(v.rgb(), f * v.frameBytes(), b, 0, b.length);
        return b;
    }

    static byte[] rgbOf(BufferedImage img) {
        byte[] b = new byte[img.getWidth() * img.getHeight() * 3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int o = (y * img.getWidth() + x) * 3;
                b[o] = (byte) (p >> 16);
                b[o + 1] = (byte) (p >> 8);
                b[o + 2] = (byte) p;
            }
        }
        return b;
    }
}
