package jsora.cli.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import jsora.models.pipeline.Video;

/** Picks the format from the output path: {@code .mp4}, {@code .gif}, or a folder of PNG frames otherwise. */
public final class VideoWriter {
    private VideoWriter() {
    }

    /** The output kinds. */
    public enum Format { MP4, GIF, PNG_FRAMES }

    public static Format formatOf(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mp4")) {
            return Format.MP4;
        }
        if (name.endsWith(".gif")) {
            return Format.GIF;
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException("--out " + out + ": use a .mp4 or .gif file, or a folder for PNG frames");
        }
        return Format.PNG_FRAMES;
    }

    /**
     * An upper bound of the bytes a video of {@code size} takes: MP4 stores at most 1.5 bytes per pixel (I_PCM 4:2:0
     * with {@code --lossless}; compressed frames take at most one byte per pixel) plus macroblock headers, a GIF at
     * most 12-bit LZW codes per pixel, PNG at most 3 bytes per pixel plus zlib's
     * framing; 2 bytes per pixel, or 3.2 for PNG, and 1 MB for headers cover each.
     */
    public static long maxBytes(Format format, long width, long height, long frames) {
        double perPixel = format == Format.PNG_FRAMES ? 3.2 : 2.0;
        return (long) (width * height * frames * perPixel) + (1L << 20);
    }

    /** Writes {@code v} to {@code out}; {@code mp4} says how, for an MP4. */
    public static void write(Video v, Path out, H264Settings mp4) throws IOException {
        switch (formatOf(out)) {
            case MP4:
                Mp4Writer.write(v, out, mp4);
                break;
            case GIF:
                GifWriter.write(v, out);
                break;
            default:
                PngFrames.write(v, out);
        }
    }
}
