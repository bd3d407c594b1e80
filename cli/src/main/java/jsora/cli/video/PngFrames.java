package jsora.cli.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import jsora.models.pipeline.Video;
import jsora.weights.AtomicFile;
import jsora.weights.AtomicFolder;

/**
 * One PNG per frame ({@code frame_0000.png}, ...) in a folder. The frames are written into a temporary folder that
 * then replaces the target in whole, so no run leaves a mix of old and new frames; a target holding anything but a
 * frame set is refused.
 */
public final class PngFrames {
    private static final Pattern FRAME = Pattern.compile("frame_\\d{4,}\\.png");

    private PngFrames() {
    }

    public static void write(Video v, Path dir) throws IOException {
        checkReplaceable(dir);
        Files.createDirectories(dir.toAbsolutePath().getParent());
        AtomicFolder.write(dir, tmp -> {
            for (int f = 0; f < v.frames(); f++) {
                BufferedImage img = frame(v, f);
                AtomicFile.write(tmp.resolve(String.format("frame_%04d.png", f)), ch -> {
                    if (!ImageIO.write(img, "png", Channels.newOutputStream(ch))) {
                        throw new IOException("no PNG writer in this JVM");
                    }
                });
            }
        });
    }

    /** Fails unless {@code dir} is absent, or a folder holding only PNG frames (a previous run's, to be replaced). */
    public static void checkReplaceable(Path dir) {
        if (dir.toAbsolutePath().getParent() == null) {
            throw new IllegalArgumentException(dir + ": name a folder to create for the PNG frames");
        }
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder; name a .mp4 or .gif file, or a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> !FRAME.matcher(p.getFileName().toString()).matches()).findFirst().ifPresent(p -> {
                throw new IllegalArgumentException(dir + " holds " + p.getFileName() + ", not only PNG frames"
                        + " of an earlier run; name a new or empty folder");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
