package jsora.cli.video;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads a reference image (PNG, JPEG, BMP, GIF: what the JDK's ImageIO decodes) as 8-bit RGB, the way Pillow's
 * {@code Image.open(f).convert("RGB")} gives it to Open-Sora: grey replicated to R, G and B, a palette looked up, an
 * alpha channel dropped (not composited over a background).
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** An image's RGB samples, row-major and interleaved: {@code rgb[(y·width + x)·3 + c]}. */
    public record Rgb(int height, int width, int[] rgb) {
    }

    public static Rgb readRgb(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image the JDK can decode (PNG, JPEG, BMP or GIF)");
        }
        Raster r = img.getRaster();
        int h = img.getHeight();
        int w = img.getWidth();
        int bands = r.getNumBands();
        int bits = img.getColorModel().getComponentSize(0);
        int[] rgb = new int[h * w * 3];
        int[] px = new int[bands];
        IndexColorModel palette = img.getColorModel() instanceof IndexColorModel ? (IndexColorModel) img.getColorModel()
                : null;
        if (palette == null && bits != 8) {
            throw new IOException(file + ": " + bits + "-bit samples; give an 8-bit image");
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.getPixel(x, y, px);
                int o = (y * w + x) * 3;
                if (palette != null) {
                    rgb[o] = palette.getRed(px[0]);
                    rgb[o + 1] = palette.getGreen(px[0]);
                    rgb[o + 2] = palette.getBlue(px[0]);
                } else if (bands >= 3) {
                    rgb[o] = px[0];
                    rgb[o + 1] = px[1];
                    rgb[o + 2] = px[2];
                } else {
                    rgb[o] = px[0];
                    rgb[o + 1] = px[0];
                    rgb[o + 2] = px[0];
                }
            }
        }
        return new Rgb(h, w, rgb);
    }
}
