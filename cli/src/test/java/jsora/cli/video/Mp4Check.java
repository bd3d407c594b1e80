package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Decode-back checks of written videos for tests outside this package. */
public final class Mp4Check {
    private Mp4Check() {
    }

    /** The MP4's boxes are consistent and every frame decodes to the given size. */
    public static void assertPlayable(Path mp4, int height, int width, int frames) throws IOException {
        Mp4Reader r = Mp4Reader.read(mp4);
        assertEquals(width, r.width);
        assertEquals(height, r.height);
        assertEquals(frames, r.samples.size());
        for (int f = 0; f < frames; f++) {
            assertEquals(height * width * 3, r.decodeRgb(f).length);
        }
    }

    public static void assertGif(Path gif, int height, int width, int frames) throws IOException {
        BufferedImage[] img = VideoWritersTest.readGif(gif, frames);
        assertEquals(width, img[0].getWidth());
        assertEquals(height, img[0].getHeight());
    }
}
