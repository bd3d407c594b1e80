package jsora.cli.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import jsora.models.pipeline.Video;
import jsora.weights.AtomicFile;

/** One PNG per frame ({@code frame_0000.png}, ...) in a folder, each written through a temporary file. */
public final class PngFrames {
    private PngFrames() {
    }

    public static void write(Video v, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int f = 0; f < v.frames(); f++) {
            BufferedImage img = frame(v, f);
            AtomicFile.write(dir.resolve(String.format("frame_%04d.png", f)), ch -> {
                if (!ImageIO.write(img, "png", Channels.newOutputStream(ch))) {
                    throw new IOException("no PNG writer in this JVM");
                }
            });
        }
    }

    /** Frame {@code f} as an RGB image. */
    public static BufferedImage frame(Video v, int f) {
        BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < v.height(); y++) {
            for (int x = 0; x < v.width(); x++) {
                img.setRGB(x, y, v.sample(f, y, x, 0) << 16 | v.sample(f, y, x, 1) << 8 | v.sample(f, y, x, 2));
            }
        }
        return img;
    }
}
