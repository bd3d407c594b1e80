package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jsora.models.pipeline.Video;

/** Decode-back checks of written videos for tests outside this package. */
public final class Mp4Check {
    private Mp4Check() {
    }

    /** The MP4's boxes and SPS are consistent with the size, and FFmpeg (where present) decodes every frame. */
    public static void assertPlayable(Path mp4, int height, int width, int frames) throws IOException {
        Mp4Reader r = Mp4Reader.read(mp4);
        assertEquals(width, r.width);
        assertEquals(height, r.height);
        assertEquals(width, r.spsWidth);
        assertEquals(height, r.spsHeight);
        assertEquals(frames, r.samples.size());
        if (Ffmpeg.available()) {
            Ffmpeg.assertDecodes(mp4, width, height, frames, r.timescale / r.sampleDelta);
        }
    }

    /** {@code --lossless}: the exact I_PCM form. */
    public static final H264Settings LOSSLESS = new H264Settings(H264Settings.DEFAULT_QUALITY, true);

    /** A video written at the default quality and with {@code --lossless}, as FFmpeg decodes them. */
    public record Comparison(Video video, long bytes, long losslessBytes, double psnr, double roundTripPsnr) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%d x %d: %d bytes (lossless %d, 1/%.1f), PSNR %.2f dB (round trip "
                    + "%.2f dB)", video.width(), video.height(), video.frames(), bytes, losslessBytes,
                    (double) losslessBytes / bytes, psnr, roundTripPsnr);
        }
    }

    /**
     * Writes {@code v} into {@code dir} compressed (default quality) and lossless, checks that FFmpeg decodes both to
     * its size, frame count and rate, and measures both against {@code v}: the lossless file decodes to the 4:2:0 round
     * trip of the frames.
     */
    public static Comparison compareWithLossless(Video v, Path dir) throws IOException {
        Path compressed = dir.resolve("compressed.mp4");
        Path lossless = dir.resolve("lossless.mp4");
        Mp4Writer.write(v, compressed, H264Settings.DEFAULT);
        Mp4Writer.write(v, lossless, LOSSLESS);
        for (Path p : new Path[] {compressed, lossless}) {
            Ffmpeg.assertDecodes(p, v.width(), v.height(), v.frames(), v.fps());
        }
        Comparison c = new Comparison(v, Files.size(compressed), Files.size(lossless),
                Ffmpeg.psnr(v.rgb(), Ffmpeg.decodeRgb(compressed)), Ffmpeg.psnr(v.rgb(), Ffmpeg.decodeRgb(lossless)));
        System.out.println(c);
        return c;
    }

    public static void assertGif(Path gif, int height, int width, int frames) throws IOException {
        BufferedImage[] img = VideoWritersTest.readGif(gif, frames);
        assertEquals(width, img[0].getWidth());
        assertEquals(height, img[0].getHeight());
    }
}
